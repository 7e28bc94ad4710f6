#include "harness/scheduler/registry.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace lab {
namespace {

TEST(StrategyRegistry, NamesAreUniqueAndEachMakesItsStrategy) {
  std::set<std::string_view> names;
  for (const auto& s : strategies()) {
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_FALSE(s.help.empty()) << s.name;
    EXPECT_EQ(find_strategy(s.name), &s);
    auto made = make_strategy({.strategy = std::string(s.name)});
    ASSERT_TRUE(made);
    EXPECT_EQ(made->name(), s.name);
  }
  EXPECT_EQ(strategy_names(), "random|pct");
}

TEST(StrategyRegistry, CheckingStrategiesAreRandomAndPct) {
  auto c = checking_strategies();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], "random");
  EXPECT_EQ(c[1], "pct");
}

TEST(StrategyRegistry, AnUnknownNameIsAnErrorNotRandom) {
  EXPECT_EQ(find_strategy("dfs"), nullptr);
  try {
    make_strategy({.strategy = "dfs"});
    FAIL() << "an unknown strategy must not fall back to another";
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    EXPECT_EQ(what, "unknown strategy 'dfs' (one of random|pct)");
  }
}

TEST(StrategyRegistry, TheStrategyReceivesItsOptions) {
  auto s = make_strategy({.strategy = "random", .schedules = 3});
  EXPECT_TRUE(s->begin_execution(2));
  EXPECT_FALSE(s->begin_execution(3)) << "the budget came from the options";
  EXPECT_TRUE(s->regenerates_choices());
  EXPECT_FALSE(make_strategy({.strategy = "pct"})->regenerates_choices()) << "PCT learns from earlier executions";
}

}  // namespace
}  // namespace lab
