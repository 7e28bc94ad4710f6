// The whole catalog, one parameterized test: every broken variant yields its declared verdict
// under every checking strategy of the registry (random, PCT) and replays from its token; every
// fixed variant is clean under each with 10,000 executions (500 in the sanitizer builds, see
// `budget`). The rule is the check of a variant, harness/explore/check.h, as `conlab check` has it.
#include "scenarios/catalog.h"
#include "scenarios/failure_modes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "harness/explore/check.h"
#include "harness/explore/explorer.h"
#include "reports/text.h"

#ifndef CONLAB_SANITIZED_BUILD
#define CONLAB_SANITIZED_BUILD 0
#endif

namespace lab {

// Executions per strategy. The sanitizer builds check the harness's own code, not the catalog
// again, and g++ 12's ThreadSanitizer runtime grows faster than linearly with the executions of
// the scenarios that allocate (pool_deadlock: 4,000 executions take 3.9 GB; clang++ 16's
// runtime takes 125 MB for the same run): 500 there.
constexpr std::uint64_t budget = CONLAB_SANITIZED_BUILD ? 500 : 10000;

// gtest prints parameters with this instead of a byte dump.
void PrintTo(const scenario& s, std::ostream* os) { *os << s.full_name(); }

namespace catalog_test {

class Catalog : public ::testing::TestWithParam<scenario> {};

// Measured: these loop without a bound (a heartbeat, a spinning waiter, a stream of requests)
// or have more classes than the budget (pool_deadlock/fixed: 59,058), so dpor samples them and
// says why; every other fixed variant is verified.
const std::set<std::string>& not_finite() {
  static const std::set<std::string> names = {
      "chatty_ipc/fixed",  "fork_with_held_lock/fixed", "gil_cpu_threads/fixed", "long_task_head_of_line/fixed",
      "pool_deadlock/fixed", "unfair_lock/fixed",       "writer_starvation/fixed"};
  return names;
}

// The default plan (dpor first, then random and pct unless dpor verified the variant): a fixed
// variant whose interleavings are finite is verified and not sampled; the others are sampled
// by all three and say why. A broken variant is found by each strategy it expects, and replays.
TEST_P(Catalog, MeetsItsExpectationUnderEveryCheckingStrategy) {
  const scenario& s = GetParam();
  variant_check v = check_variant(s, {.schedules = budget, .seed = 1});
  EXPECT_TRUE(v.met);
  ASSERT_FALSE(v.strategies.empty());
  EXPECT_EQ(v.strategies.front().strategy, "dpor");
  const bool verified = v.strategies.front().applies && v.strategies.front().report.stats.exhaustive;
  if (s.expected == verdict::clean && !CONLAB_SANITIZED_BUILD) {  // a smaller budget there
    EXPECT_EQ(verified, !not_finite().contains(s.full_name())) << v.strategies.front().report.note;
  }
  for (const strategy_check& c : v.strategies) {
    if (!c.applies) {  // declared, with its reason, in the scenario
      EXPECT_FALSE(c.why_not.empty());
      continue;
    }
    const std::string& strategy = c.strategy;
    if (!c.needed) {
      EXPECT_TRUE(verified) << strategy << " is left out only after dpor verified the variant";
      EXPECT_FALSE(s.needs_fair_schedules) << strategy << ": dpor's verdict does not cover starvation";
      continue;
    }
    const run_report& r = c.report;
    EXPECT_TRUE(c.met) << strategy;
    ASSERT_EQ(r.result, s.expected) << strategy << "\n" << reports::render_text(r);
    if (s.expected == verdict::clean) {
      if (strategy == "dpor") {
        EXPECT_LE(r.stats.executions, budget);
        EXPECT_NE(r.note.find(r.stats.exhaustive ? "verified:" : "sampled:"), std::string::npos) << r.note;
        if (r.stats.exhaustive) {
          EXPECT_GE(r.stats.classes, 1u);
        }
      } else {
        EXPECT_TRUE(!verified || s.needs_fair_schedules) << strategy << " sampled a variant dpor had verified";
        EXPECT_EQ(r.stats.executions, budget) << strategy;
      }
      continue;
    }
    EXPECT_TRUE(r.reproduced) << strategy;
    ASSERT_EQ(r.findings.size(), 1u);
    // The token alone brings back the same finding at the same step and line.
    std::string error;
    auto token = decode_token(r.replay, error);
    ASSERT_TRUE(token) << error;
    EXPECT_EQ(token->scenario, s.full_name());
    run_report again = replay(*token, s.body, {});
    EXPECT_TRUE(again.reproduced) << strategy;
    EXPECT_EQ(again.result, r.result);
    ASSERT_EQ(again.findings.size(), 1u);
    EXPECT_EQ(again.findings[0].step, r.findings[0].step);
    EXPECT_EQ(again.findings[0].loc.line(), r.findings[0].loc.line());
    EXPECT_EQ(reports::render_text(again).substr(0, 200), reports::render_text(r).substr(0, 200));
  }
}

TEST_P(Catalog, HasAReadmeWithTheFourHeadingsAndItsSource) {
  const scenario& s = GetParam();
  std::ifstream in(std::string(CONLAB_SOURCE_DIR) + "/" + s.readme());
  ASSERT_TRUE(in) << s.readme();
  std::string text((std::istreambuf_iterator<char>(in)), {});
  for (const char* heading : {"## Bug", "## Interleaving", "## Fix", "## What the lab reports"})
    EXPECT_NE(text.find(heading), std::string::npos) << s.readme() << " lacks " << heading;
  // Cited by author and title (docs/sources.md), never by a file path.
  bool cites = false;
  for (std::string_view doc : source_documents()) {
    std::string_view title = doc.substr(doc.find(", ") == std::string_view::npos ? 0 : doc.find(", ") + 2);
    cites |= text.find(title) != std::string::npos;
  }
  EXPECT_TRUE(cites) << s.readme() << " cites no source document";
  EXPECT_EQ(text.find("seeds/"), std::string::npos) << s.readme() << " cites a file path";
}

std::string param_name(const ::testing::TestParamInfo<scenario>& info) {
  std::string n = info.param.full_name();
  for (char& c : n)
    if (c == '/') c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(All, Catalog, ::testing::ValuesIn(catalog()), param_name);

// The dining philosophers deadlock with no preemption at all (each takes its left fork and
// yields): whichever strategy found it first, the report shows that execution and proves the
// minimum ("Simplest found: 10 preemptions" with random before pb applied the fair-yield rule).
TEST(CatalogMinimal, DiningPhilosophersComeDownToZeroPreemptionsUnderEveryStrategy) {
  const scenario* s = find_scenario("dining_philosophers/broken");
  ASSERT_NE(s, nullptr);
  for (const char* strategy : {"random", "pct", "dpor", "ipb"})
    for (std::uint64_t seed : {1u, 2u}) {
      run_report r = explore(s->full_name(), s->body, {.strategy = strategy, .schedules = 2000, .seed = seed});
      ASSERT_EQ(r.result, verdict::deadlock) << strategy;
      EXPECT_EQ(r.preemptions, 0u) << strategy << " seed " << seed << ": " << r.minimisation;
      EXPECT_TRUE(r.minimal) << strategy << ": " << r.minimisation;
      EXPECT_EQ(r.minimisation.rfind("minimal: 0 preemptions (no execution with fewer shows it)", 0), 0u)
          << strategy << ": " << r.minimisation;
    }
}

TEST(CatalogIndex, NamesAreUniqueAndFindable) {
  std::set<std::string> names;
  for (const auto& s : catalog()) {
    EXPECT_TRUE(names.insert(s.full_name()).second) << s.full_name();
    EXPECT_EQ(find_scenario(s.full_name()), &s);
  }
  EXPECT_EQ(find_scenario("nope/never"), nullptr);
}

TEST(CatalogIndex, EveryScenarioHasABrokenAndAFixedVariant) {
  std::map<std::string, std::pair<int, int>> counts;
  for (const auto& s : catalog()) (s.expected == verdict::clean ? counts[std::string(s.name)].second : counts[std::string(s.name)].first)++;
  for (const auto& [name, c] : counts) {
    EXPECT_GE(c.first, 1) << name << " has no broken variant";
    EXPECT_GE(c.second, 1) << name << " has no fixed variant";
  }
}

// Fair schedules: every variant of a scenario whose bug is starvation, and no other.
TEST(CatalogIndex, TheVariantsOfAStarvationScenarioNeedFairSchedules) {
  EXPECT_TRUE(find_scenario("unfair_lock/fixed")->needs_fair_schedules);
  EXPECT_TRUE(find_scenario("gil_convoy/fixed")->needs_fair_schedules);
  EXPECT_TRUE(find_scenario("gil_convoy/broken")->needs_fair_schedules);
  EXPECT_FALSE(find_scenario("lost_update/fixed")->needs_fair_schedules);
  EXPECT_FALSE(find_scenario("lock_order_inversion/fixed")->needs_fair_schedules);
}

}  // namespace catalog_test
}  // namespace lab
