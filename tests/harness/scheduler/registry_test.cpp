#include "harness/scheduler/registry.h"

#include <gtest/gtest.h>

#include <bit>
#include <set>
#include <vector>
#include <stdexcept>

namespace lab {
namespace registry_test {

TEST(StrategyRegistry, NamesAreUniqueAndEachMakesItsStrategy) {
  std::set<std::string_view> names;
  for (const auto& s : strategies()) {
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_FALSE(s.help.empty()) << s.name;
    EXPECT_EQ(find_strategy(s.name), &s);
    if (s.plan) {  // a sequence of strategies, which lab::explore runs: not made here
      EXPECT_EQ(s.make, nullptr);
      EXPECT_THROW(make_strategy({.strategy = std::string(s.name)}), std::invalid_argument);
      continue;
    }
    auto made = make_strategy({.strategy = std::string(s.name)});
    ASSERT_TRUE(made);
    EXPECT_EQ(made->name(), s.name);
  }
  EXPECT_EQ(strategy_names(), "random|pct|dpor|pb|ipb|auto|dfs");
}

TEST(StrategyRegistry, CheckingStrategiesAreDporFirstThenRandomAndPct) {
  auto c = checking_strategies();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], "dpor") << "what dpor verifies needs no sampling, so it goes first";
  EXPECT_EQ(c[1], "random");
  EXPECT_EQ(c[2], "pct");
}

TEST(StrategyRegistry, AnUnknownNameIsAnErrorNotRandom) {
  EXPECT_EQ(find_strategy("bfs"), nullptr);
  try {
    make_strategy({.strategy = "bfs"});
    FAIL() << "an unknown strategy must not fall back to another";
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    EXPECT_EQ(what, "unknown strategy 'bfs' (one of random|pct|dpor|pb|ipb|auto|dfs)");
  }
}

TEST(StrategyRegistry, TheStrategyReceivesItsOptions) {
  auto s = make_strategy({.strategy = "random", .schedules = 3});
  EXPECT_TRUE(s->begin_execution(2));
  EXPECT_FALSE(s->begin_execution(3)) << "the budget came from the options";
  EXPECT_TRUE(s->regenerates_choices());
  EXPECT_FALSE(make_strategy({.strategy = "pct"})->regenerates_choices()) << "PCT learns from earlier executions";
}

}  // namespace registry_test
}  // namespace lab

namespace lab {
namespace registry_test {

// The thread-set helpers every strategy uses, against brute force (the small-set fast paths
// included: member_count reads a table below 256).
TEST(ThreadSet, CountNthAndRankAgreeWithBruteForce) {
  std::vector<std::uint64_t> masks;
  for (std::uint64_t m = 0; m < 1024; ++m) masks.push_back(m);
  for (std::uint64_t m : {std::uint64_t{1} << 63, ~std::uint64_t{0}, std::uint64_t{0x8000000000000001}, std::uint64_t{0x0123456789abcdef}})
    masks.push_back(m);
  for (std::uint64_t m : masks) {
    // The same members in the first word, and shifted into the third (a set past 128 threads).
    thread_set low = m, high;
    for (std::uint32_t t = 0; t < 64; ++t)
      if ((m >> t) & 1) high.insert(thread_id{t + 128});
    for (std::uint32_t base : {0u, 128u}) {
      const thread_set& s = base == 0 ? low : high;
      ASSERT_EQ(member_count(s), static_cast<std::uint64_t>(std::popcount(m))) << m;
      std::uint64_t n = 0;
      for (std::uint32_t b = 0; b < 64; ++b) {
        if (!((m >> b) & 1)) continue;
        const std::uint32_t t = base + b;
        ASSERT_EQ(nth_member(s, n), t) << m << " #" << n;
        ASSERT_EQ(rank_of(s, thread_id{t}), n) << m;
        ASSERT_EQ(pick_rank(s, n).thread, t);
        ASSERT_EQ(pick_thread(s, thread_id{t}).rank, n);
        ++n;
      }
    }
  }
}

}  // namespace registry_test
}  // namespace lab
