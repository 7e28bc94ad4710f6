// DPOR's separating benchmarks: executions against classes, and time, for lastzero(N) (Abdulla et
// al., "Optimal dynamic partial order reduction", POPL 2014, section 9: thread 0 scans array[N..1]
// for the last zero, writer j sets array[j] = array[j-1] + 1) and readers(N) (one writer, N
// readers of one variable: 2^N classes). A bench command, not a test; the figures go in
// docs/performance.md:
//   build/release/tests/bench/conlab_dpor_bench [N...]        (default: lastzero 5 10, readers 4 8)
// Classes are what an optimal algorithm would run (lastzero: 64 / 3,328 / 147,456 for N = 5 /
// 10 / 15, as GenMC and Nidhugg's optimal mode report).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include "harness/lab.h"
#include "harness/runtime/execution.h"
#include "harness/scheduler/dpor.h"

namespace {

struct result {
  std::uint64_t executions = 0, classes = 0, blocked = 0;
  double seconds = 0;
  bool exhausted = false;
};

result run(const std::function<void()>& body, std::uint64_t budget) {
  lab::dpor_strategy s(budget, false);
  lab::rt::execution ex;
  auto call = [](void* f) { (*static_cast<const std::function<void()>*>(f))(); };
  auto t0 = std::chrono::steady_clock::now();
  result r;
  for (std::uint64_t i = 0; s.begin_execution(i); ++i) {
    ex.run(call, const_cast<std::function<void()>*>(&body), s, {.max_steps = 100000});
    ++r.executions;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.classes = s.classes();
  r.blocked = s.sleep_blocked();
  r.exhausted = s.exhausted();
  return r;
}

void lastzero(int n) {
  std::vector<std::unique_ptr<lab::atomic<int>>> a;
  for (int i = 0; i <= n; ++i) a.push_back(std::make_unique<lab::atomic<int>>(0));
  std::vector<lab::thread> ts;
  ts.emplace_back([&] {
    for (int i = n; i >= 0; --i)
      if (a[static_cast<std::size_t>(i)]->load() == 0) break;
  });
  for (int j = 1; j <= n; ++j)
    ts.emplace_back([&, j] { a[static_cast<std::size_t>(j)]->store(a[static_cast<std::size_t>(j - 1)]->load() + 1); });
  for (auto& t : ts) t.join();
}

void readers(int n) {
  lab::atomic<int> x{0};
  std::vector<lab::thread> ts;
  ts.emplace_back([&] { x.store(1); });
  for (int j = 0; j < n; ++j) ts.emplace_back([&] { (void)x.load(); });
  for (auto& t : ts) t.join();
}

void print(const char* name, int n, const result& r) {
  fmt::print("| {}({}) | {} | {} | {} | {:.2f}x | {:.2f} s |{}\n", name, n, r.classes, r.executions, r.blocked,
             r.classes ? static_cast<double>(r.executions) / static_cast<double>(r.classes) : 0.0, r.seconds,
             r.exhausted ? "" : " (budget hit)");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> zeros = {5, 10}, reads = {4, 8};
  if (argc > 1) {
    zeros.clear();
    for (int i = 1; i < argc; ++i) zeros.push_back(std::atoi(argv[i]));
  }
  fmt::print("| program | classes | executions | sleep-set blocked | executions/classes | time |\n|---|---|---|---|---|---|\n");
  for (int n : zeros) print("lastzero", n, run([n] { lastzero(n); }, 100000000));
  if (argc <= 1)
    for (int n : reads) print("readers", n, run([n] { readers(n); }, 100000000));
}
