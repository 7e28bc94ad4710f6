#include "harness/scheduler/pct.h"

#include <gtest/gtest.h>

#include "tests/support/choose.h"

#include <set>

namespace lab {
namespace pct_test {

// With depth 1 there are no change points: the same highest-priority thread runs while it can.
TEST(PctStrategy, DepthOneRunsOneThreadWhileRunnable) {
  pct_strategy s(11, 50, 1, 0.0);
  for (std::uint64_t i = 0; s.begin_execution(i); ++i) {
    thread_id first = test::choose(s, 0b111, 0, false);
    for (int k = 0; k < 30; ++k) EXPECT_EQ(test::choose(s, 0b111, first, false), first);
  }
}

// Priorities are random per execution, so every thread gets to go first sometimes.
TEST(PctStrategy, InitialPrioritiesVary) {
  pct_strategy s(3, 200, 1, 0.0);
  std::set<thread_id> firsts;
  for (std::uint64_t i = 0; s.begin_execution(i); ++i) firsts.insert(test::choose(s, 0b111, 0, false));
  EXPECT_EQ(firsts.size(), 3u);
}

TEST(PctStrategy, YieldingThreadDropsBelowTheOthers) {
  pct_strategy s(5, 1, 1, 0.0);
  ASSERT_TRUE(s.begin_execution(0));
  thread_id top = test::choose(s, 0b11, 0, false);
  thread_id next = test::choose(s, 0b11, top, /*yielding=*/true);
  EXPECT_NE(next, top);
}

// A depth-2 ordering bug: thread 1 must run its one step before thread 0 finishes its 10 steps
// (thread 0 starts with the higher priority half the time). PCT with d = 2 hits it with
// probability >= 1/(n k) per execution: within 200 executions for almost every seed.
TEST(PctStrategy, FindsDepthTwoBugWithinItsBound) {
  int found = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    pct_strategy s(seed, 200, 2, 0.0);
    for (std::uint64_t i = 0; s.begin_execution(i); ++i) {
      int steps0 = 0;
      bool t1_done = false, bug = false;
      thread_id cur{0};
      while (steps0 < 10) {
        thread_set runnable = 0b01 | (t1_done ? 0 : 0b10);
        cur = test::choose(s, runnable, cur, false);
        if (cur == 1) {
          t1_done = true;
          bug = steps0 > 0 && steps0 < 10;  // t1 ran in the middle of t0's work
        } else {
          ++steps0;
        }
      }
      s.end_execution(12);
      if (bug) {
        ++found;
        break;
      }
    }
  }
  EXPECT_GE(found, 95);
}

TEST(PctStrategy, SameSeedSameChoices) {
  pct_strategy a(8, 5, 3, 0.0), b(8, 5, 3, 0.0);
  for (std::uint64_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(a.begin_execution(i));
    ASSERT_TRUE(b.begin_execution(i));
    thread_id ca{0}, cb{0};
    for (int k = 0; k < 40; ++k) {
      ca = test::choose(a, 0b1111, ca, false);
      cb = test::choose(b, 0b1111, cb, false);
      EXPECT_EQ(ca, cb);
    }
    a.end_execution(40);
    b.end_execution(40);
  }
}

}  // namespace pct_test
}  // namespace lab
