// DPOR's separating benchmarks: executions against classes, and time, for lastzero(N) (Abdulla et
// al., "Optimal dynamic partial order reduction", POPL 2014, section 9: thread 0 scans array[N..1]
// for the last zero, writer j sets array[j] = array[j-1] + 1), readers(N) (one writer, N
// readers of one variable: 2^N classes) and, with --catalog, every fixed variant of the
// scenario catalog (what `conlab check` verifies). Each program runs under the optimal mode and
// the source-set baseline (dpor_mode) side by side, alternating, best of `rounds`: the ratio is
// what counts on a shared machine. A bench command, not a test; the figures go in
// docs/performance.md:
//   build/release/tests/bench/conlab_dpor_bench [--catalog] [--rounds R] [--optimal-only] [N...]
//   (default: lastzero 5 10, readers 4 8)
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
#include "scenarios/catalog.h"
#include "tests/support/separating_programs.h"

namespace {

struct result {
  std::uint64_t executions = 0, classes = 0, blocked = 0;
  double seconds = 0;
  bool exhausted = false;
};

result run(const std::function<void()>& body, std::uint64_t budget, lab::dpor_mode mode) {
  lab::dpor_strategy s(budget, false, {}, true, mode);
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

bool optimal_only = false;  ///< --optimal-only: the source-set baseline is not run

/// Both modes on `body`, alternating, best time of `rounds` each; one table row per mode.
void compare(const std::string& name, const std::function<void()>& body, int rounds, std::uint64_t budget) {
  result best[2];
  const int modes = optimal_only ? 1 : 2;
  for (int r = 0; r < rounds; ++r)
    for (int m = 0; m < modes; ++m) {
      result x = run(body, budget, m == 0 ? lab::dpor_mode::optimal : lab::dpor_mode::source);
      if (r == 0 || x.seconds < best[m].seconds) best[m] = x;
    }
  for (int m = 0; m < modes; ++m) {
    const result& x = best[m];
    fmt::print("| {} | {} | {} | {} | {} | {:.2f}x | {:.3f} s |{}\n", name, m == 0 ? "optimal" : "source", x.classes,
               x.executions, x.blocked,
               x.classes ? static_cast<double>(x.executions) / static_cast<double>(x.classes) : 0.0, x.seconds,
               x.exhausted ? "" : " (budget hit)");
  }
  if (modes == 2 && best[1].seconds > 0)
    fmt::print("| {} | optimal/source time | | | | | {:.2f} |\n", name, best[0].seconds / best[1].seconds);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> zeros = {5, 10}, reads = {4, 8};
  bool catalog = false, named = false;
  int rounds = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--catalog") {
      catalog = true;
    } else if (a == "--optimal-only") {
      optimal_only = true;
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else {
      if (!named) zeros.clear(), reads.clear();
      named = true;
      zeros.push_back(std::atoi(a.c_str()));
    }
  }
  fmt::print("| program | mode | classes | executions | sleep-set blocked | executions/classes | time |\n"
             "|---|---|---|---|---|---|---|\n");
  for (int n : zeros) compare(fmt::format("lastzero({})", n), [n] { lab::test::lastzero(n); }, rounds, 100000000);
  for (int n : reads) compare(fmt::format("readers({})", n), [n] { lab::test::readers(n); }, rounds, 100000000);
  if (!catalog) return 0;
  // The catalog's fixed variants, as `conlab check` verifies them (its default budget).
  double total[2] = {0, 0};
  for (const lab::scenario& sc : lab::catalog()) {
    if (sc.expected != lab::verdict::clean) continue;
    for (int m = 0; m < 2; ++m) {
      result x = run(sc.body, 10000, m == 0 ? lab::dpor_mode::optimal : lab::dpor_mode::source);
      total[m] += x.seconds;
      fmt::print("| {} | {} | {} | {} | {} | | {:.3f} s |{}\n", sc.full_name(), m == 0 ? "optimal" : "source",
                 x.classes, x.executions, x.blocked, x.seconds, x.exhausted ? "" : " (budget hit)");
    }
  }
  fmt::print("| catalog (fixed variants) | optimal {:.2f} s, source {:.2f} s | | | | | {:.2f} |\n", total[0], total[1],
             total[1] > 0 ? total[0] / total[1] : 0.0);
}
