// The reference workloads of DESIGN.md, explored with the random strategy, race detection on.
//   W1: 3 threads, each once: lock(m); x = x + 1; unlock(m); main joins all and asserts x == 3.
//   W2: 4 threads, each 10 times: lock(m); x = x + 1; unlock(m); a.fetch_add(1).
//   W3: W1 explored until every distinct behaviour is covered (exhaustive: a later issue).
// Figure: executions per second (the "executions/s" counter), 1 job and one job per core.
#include <benchmark/benchmark.h>

#include <thread>

#include "harness/lab.h"
#include "harness/explore/explorer.h"

namespace {

void w1() {
  lab::shared<int> x{0, "x"};
  lab::mutex m{"m"};
  auto inc = [&] {
    m.lock();
    x = x + 1;
    m.unlock();
  };
  lab::thread a(inc), b(inc), c(inc);
  a.join();
  b.join();
  c.join();
  lab::assert_that(x == 3, "x == 3");
}

void w2() {
  lab::shared<int> x{0, "x"};
  lab::mutex m{"m"};
  lab::atomic<int> a{0, "a"};
  auto work = [&] {
    for (int i = 0; i < 10; ++i) {
      m.lock();
      x = x + 1;
      m.unlock();
      a.fetch_add(1);
    }
  };
  lab::thread t1(work), t2(work), t3(work), t4(work);
  t1.join();
  t2.join();
  t3.join();
  t4.join();
  lab::assert_that(x == 40 && a.load() == 40, "x == 40 and a == 40");
}

void explore_workload(benchmark::State& state, void (*body)(), std::uint64_t executions) {
  auto jobs = static_cast<std::uint64_t>(state.range(0));
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  std::uint64_t total = 0, steps = 0;
  for (auto _ : state) {
    auto r = lab::explore("bench", body, {.strategy = "random", .schedules = executions, .jobs = jobs});
    if (r.result != lab::verdict::clean) state.SkipWithError("the workload is correct: a finding is a bug in conlab");
    total += r.stats.executions;
    steps += r.stats.steps;
  }
  state.counters["executions/s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["steps/execution"] = static_cast<double>(steps) / static_cast<double>(std::max<std::uint64_t>(total, 1));
  state.counters["jobs"] = static_cast<double>(jobs);
}

void BM_W1(benchmark::State& state) { explore_workload(state, w1, 1'000'000); }
void BM_W2(benchmark::State& state) { explore_workload(state, w2, 100'000); }

}  // namespace

// Arg: jobs (0 = one per core). UseRealTime: the figure is wall-clock throughput.
BENCHMARK(BM_W1)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_W2)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

BENCHMARK_MAIN();
