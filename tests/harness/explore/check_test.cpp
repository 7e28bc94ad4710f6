#include "harness/explore/check.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "harness/explore/explorer.h"
#include "harness/lab.h"

namespace lab {
namespace check_test {

void racy() {
  lab::shared<int> x{0, "x"};
  lab::thread t([&] { x = 1; });
  x = 2;
  t.join();
}

void correct() {
  lab::shared<int> x{0, "x"};
  lab::mutex m;
  lab::thread t([&] {
    lab::lock_guard g(m);
    x = 1;
  });
  {
    lab::lock_guard g(m);
    x = 2;
  }
  t.join();
}

scenario broken{.name = "t", .variant = "broken", .expected = verdict::data_race, .body = &racy};
scenario fixed{.name = "t", .variant = "fixed", .expected = verdict::clean, .body = &correct};

TEST(MeetsExpectation, BrokenNeedsItsVerdictReproduced) {
  run_report r{.result = verdict::data_race, .reproduced = true};
  EXPECT_TRUE(meets_expectation(broken, r));
  r.reproduced = false;
  EXPECT_FALSE(meets_expectation(broken, r)) << "a finding that did not replay proves nothing";
  r = {.result = verdict::deadlock, .reproduced = true};
  EXPECT_FALSE(meets_expectation(broken, r)) << "another verdict is not the declared one";
  r = {.result = verdict::clean};
  EXPECT_FALSE(meets_expectation(broken, r));
}

TEST(MeetsExpectation, FixedNeedsTheWholeBudgetClean) {
  run_report r{.result = verdict::clean};
  EXPECT_TRUE(meets_expectation(fixed, r));
  r.interrupted = true;
  EXPECT_FALSE(meets_expectation(fixed, r)) << "a search cut short is not a clean verdict";
  r = {.result = verdict::data_race, .reproduced = true};
  EXPECT_FALSE(meets_expectation(fixed, r));
}

TEST(CheckVariant, RunsEveryCheckingStrategy) {
  variant_check v = check_variant(broken, {.schedules = 200});
  ASSERT_EQ(v.strategies.size(), 3u);
  EXPECT_EQ(v.strategies[0].strategy, "dpor");
  EXPECT_EQ(v.strategies[1].strategy, "random");
  EXPECT_EQ(v.strategies[2].strategy, "pct");
  EXPECT_TRUE(v.met);
  for (const auto& c : v.strategies) {
    EXPECT_TRUE(c.applies);
    EXPECT_TRUE(c.met) << c.strategy;
    EXPECT_EQ(c.report.result, verdict::data_race) << c.strategy;
  }
  ASSERT_NE(v.shown(), nullptr);
  EXPECT_EQ(v.shown()->result, verdict::data_race);

  // dpor verifies the fixed one: nothing is left for the samplers, which are not run.
  variant_check f = check_variant(fixed, {.schedules = 200});
  EXPECT_TRUE(f.met);
  ASSERT_EQ(f.strategies.size(), 3u);
  EXPECT_TRUE(f.strategies[0].report.stats.exhaustive) << f.strategies[0].report.note;
  EXPECT_EQ(coverage(f.strategies[0].report).rfind("verified (", 0), 0u);
  for (std::size_t i : {1u, 2u}) {
    EXPECT_FALSE(f.strategies[i].needed) << f.strategies[i].strategy;
    EXPECT_TRUE(f.strategies[i].met);
    EXPECT_EQ(f.strategies[i].report.stats.executions, 0u);
  }
  EXPECT_EQ(f.shown(), &f.strategies[0].report);
}

TEST(CheckVariant, WhatDporCannotVerifyTheSamplersSample) {
  // A spin loop without a bound: dpor's executions reach the step limit, so it samples.
  scenario spinning = fixed;
  spinning.body = [] {
    lab::atomic<bool> go{false};
    lab::thread t([&] {
      while (!go.load()) {
      }
    });
    go.store(true);
    t.join();
  };
  variant_check v = check_variant(spinning, {.schedules = 50, .max_steps = 200, .livelock_steps = 0});
  EXPECT_TRUE(v.met);
  ASSERT_EQ(v.strategies.size(), 3u);
  EXPECT_FALSE(v.strategies[0].report.stats.exhaustive);
  EXPECT_EQ(coverage(v.strategies[0].report), "sampled (50 executions)") << v.strategies[0].report.note;
  for (std::size_t i : {1u, 2u}) {
    EXPECT_TRUE(v.strategies[i].needed);
    EXPECT_EQ(v.strategies[i].report.stats.executions, 50u);
    EXPECT_EQ(coverage(v.strategies[i].report), "clean in 50 executions");
  }
  // Named strategies are all run, whatever the first found.
  const std::string_view both[] = {"dpor", "random"};
  variant_check named = check_variant(fixed, {.schedules = 20}, both);
  ASSERT_EQ(named.strategies.size(), 2u);
  EXPECT_TRUE(named.strategies[1].needed);
  EXPECT_EQ(named.strategies[1].report.stats.executions, 20u);
}

TEST(CheckVariant, AStrategyTheVariantDoesNotExpectIsSkippedWithItsReason) {
  scenario only_pct = broken;
  only_pct.found_by = "pct";
  only_pct.why_not = "random is fair";
  variant_check v = check_variant(only_pct, {.schedules = 100});
  ASSERT_EQ(v.strategies.size(), 3u);
  EXPECT_FALSE(v.strategies[0].applies) << "dpor: the variant names pct";
  EXPECT_FALSE(v.strategies[1].applies);
  EXPECT_EQ(v.strategies[1].why_not, "random is fair");
  EXPECT_EQ(v.strategies[1].report.stats.executions, 0u) << "nothing explored";
  EXPECT_TRUE(v.strategies[2].applies);
  EXPECT_TRUE(v.met);
}

TEST(CheckVariant, AFixedVariantThatIsNotFixedFails) {
  scenario lying = broken;
  lying.expected = verdict::clean;
  variant_check v = check_variant(lying, {.schedules = 100});
  EXPECT_FALSE(v.met);
  EXPECT_FALSE(v.strategies[0].met);
}

TEST(CheckVariant, UnknownStrategyIsAnError) {
  std::string_view dfs = "bfs";
  EXPECT_THROW(check_variant(fixed, {}, {&dfs, 1}), std::invalid_argument);
}

}  // namespace check_test
}  // namespace lab
