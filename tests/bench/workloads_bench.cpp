// The reference workloads (tests/bench/workloads.h, docs/performance.md), explored with the random
// strategy, every detector on. W3 (W1 explored until every distinct behaviour is covered) comes
// with exhaustive search. Figure: executions per second (the "executions/s" counter), 1 job and
// one job per core. The comparison with Relacy is peer_bench.cpp.
#include <benchmark/benchmark.h>

#include <thread>

#include "harness/explore/explorer.h"
#include "tests/bench/workloads.h"

namespace {

using lab::bench::w1;
using lab::bench::w2;

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
