#include "harness/scheduler/random.h"

#include <gtest/gtest.h>

#include "tests/support/choose.h"

#include <array>

namespace lab {
namespace random_test {

TEST(RandomStrategy, PicksOnlyRunnableThreads) {
  random_strategy s(3, 100, 0.0);
  for (std::uint64_t i = 0; s.begin_execution(i); ++i)
    for (int k = 0; k < 50; ++k) {
      thread_set runnable = 0b101100;
      thread_id t = test::choose(s, runnable, 2, false);
      EXPECT_TRUE(runnable.contains(t)) << t;
    }
}

TEST(RandomStrategy, RoughlyUniform) {
  random_strategy s(9, 1, 0.0);
  ASSERT_TRUE(s.begin_execution(0));
  std::array<int, 4> counts{};
  for (int k = 0; k < 40000; ++k) ++counts[test::choose(s, 0b1111, 0, false)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 600);
}

TEST(RandomStrategy, ExecutionDependsOnlyOnSeedAndIndex) {
  random_strategy a(5, 10, 0.1), b(5, 10, 0.1);
  ASSERT_TRUE(a.begin_execution(7));
  ASSERT_TRUE(b.begin_execution(3));
  ASSERT_TRUE(b.begin_execution(7));  // b ran a different execution first: no effect
  for (int k = 0; k < 100; ++k) {
    EXPECT_EQ(test::choose(a, 0b111, 0, false), test::choose(b, 0b111, 0, false));
    EXPECT_EQ(a.next_value(2, choice_kind::spurious_wakeup), b.next_value(2, choice_kind::spurious_wakeup));
  }
}

TEST(RandomStrategy, DifferentSeedsDiffer) {
  random_strategy a(1, 1, 0.0), b(2, 1, 0.0);
  a.begin_execution(0);
  b.begin_execution(0);
  int same = 0;
  for (int k = 0; k < 64; ++k) same += test::choose(a, 0b11, 0, false) == test::choose(b, 0b11, 0, false);
  EXPECT_LT(same, 60);
}

TEST(RandomStrategy, StopsAfterItsBudget) {
  random_strategy s(1, 3, 0.0);
  EXPECT_TRUE(s.begin_execution(2));
  EXPECT_FALSE(s.begin_execution(3));
}

TEST(RandomStrategy, SpuriousWakeupProbability) {
  random_strategy never(1, 1, 0.0), always(1, 1, 1.0), some(1, 1, 0.25);
  never.begin_execution(0);
  always.begin_execution(0);
  some.begin_execution(0);
  int n = 0;
  for (int k = 0; k < 4000; ++k) {
    EXPECT_EQ(never.next_value(2, choice_kind::spurious_wakeup), 0u);
    EXPECT_EQ(always.next_value(2, choice_kind::spurious_wakeup), 1u);
    n += static_cast<int>(some.next_value(2, choice_kind::spurious_wakeup));
  }
  EXPECT_NEAR(n, 1000, 120);
}

TEST(ThreadSet, NthMemberAndRankAreInverse) {
  thread_set s = 0b1011'0010'0110;
  for (std::uint64_t n = 0; n < s.size(); ++n)
    EXPECT_EQ(rank_of(s, nth_member(s, n)), n);
  EXPECT_EQ(nth_member(s, 0), 1u);
  EXPECT_EQ(nth_member(s, 2), 5u);
}

}  // namespace random_test
}  // namespace lab
