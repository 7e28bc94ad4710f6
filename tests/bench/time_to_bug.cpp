// Time to bug: for every broken variant of the catalog and each strategy, the executions until
// the first finding over 100 seeds - median, 95th percentile, and how many seeds found it within
// 1,000 executions. Prints a Markdown table (the one in the README). A bench command, not a test:
//   build/release/tests/bench/conlab_time_to_bug [SEEDS] [BUDGET]
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "harness/explore/explorer.h"
#include "scenarios/catalog.h"

namespace {

struct summary {
  std::size_t found = 0, within_1000 = 0;
  std::uint64_t median = 0, p95 = 0;
  bool p95_found = true;
};

summary measure(const lab::scenario& s, const char* strategy, std::uint64_t seeds, std::uint64_t budget) {
  std::vector<std::uint64_t> runs;  // executions to the first finding; budget + 1 when none
  summary out;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    auto r = lab::explore(s.full_name(), s.body, {.strategy = strategy, .schedules = budget, .seed = seed});
    bool hit = r.result == s.expected;
    runs.push_back(hit ? r.schedule + 1 : budget + 1);
    out.found += hit;
    out.within_1000 += hit && r.schedule + 1 <= 1000;
  }
  std::sort(runs.begin(), runs.end());
  out.median = runs[runs.size() / 2];
  auto p95_index = std::min(runs.size() - 1, (runs.size() * 95 + 99) / 100 - 1);
  out.p95 = runs[p95_index];
  out.p95_found = out.p95 <= budget;
  return out;
}

std::string cell(std::uint64_t v, bool found, std::uint64_t budget) {
  return found ? fmt::format("{}", v) : fmt::format("> {}", budget);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seeds = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100;
  std::uint64_t budget = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10000;
  fmt::print("| broken variant | verdict | random: median | p95 | found | PCT (d=3): median | p95 | found | within 1,000 |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|\n");
  bool target_met = true;
  for (const auto& s : lab::catalog()) {
    if (s.expected == lab::verdict::clean) continue;
    std::string random_cols = "- | - | fair by construction";
    if (s.expects("random")) {
      auto r = measure(s, "random", seeds, budget);
      random_cols = fmt::format("{} | {} | {}/{}", cell(r.median, r.median <= budget, budget),
                                cell(r.p95, r.p95_found, budget), r.found, seeds);
    }
    auto p = measure(s, "pct", seeds, budget);
    target_met = target_met && p.within_1000 * 100 >= 95 * seeds;
    fmt::print("| {} | {} | {} | {} | {} | {}/{} | {}/{} |\n", s.full_name(), lab::to_string(s.expected), random_cols,
               cell(p.median, p.median <= budget, budget), cell(p.p95, p.p95_found, budget), p.found, seeds,
               p.within_1000, seeds);
  }
  fmt::print("\nPCT target (every broken variant within 1,000 executions for >= 95% of seeds): {}\n",
             target_met ? "met" : "NOT met");
  return target_met ? 0 : 1;
}
