#include "harness/scheduler/replay.h"

#include <gtest/gtest.h>

#include "tests/support/choose.h"

#include "harness/scheduler/random.h"

namespace lab {
namespace replay_test {

// Record what a random strategy chose the way the runtime does, then replay it.
TEST(ReplayStrategy, MakesTheRecordedChoices) {
  random_strategy rnd(4, 1, 0.3);
  ASSERT_TRUE(rnd.begin_execution(0));
  schedule recorded;
  std::vector<thread_id> threads;
  std::vector<std::uint64_t> values;
  thread_set sets[] = {0b11, 0b111, 0b1010, 0b1111};
  for (int k = 0; k < 100; ++k) {
    thread_set r = sets[k % 4];
    thread_id t = test::choose(rnd, r, 0, false);
    recorded.push(rank_of(r, t), r.size());
    threads.push_back(t);
    std::uint64_t v = rnd.next_value(2, choice_kind::spurious_wakeup);
    recorded.push(v, 2);
    values.push_back(v);
  }
  replay_strategy rep(recorded, 0, "random");
  ASSERT_TRUE(rep.begin_execution(0));
  for (int k = 0; k < 100; ++k) {
    EXPECT_EQ(test::choose(rep, sets[k % 4], 0, false), threads[k]);
    EXPECT_EQ(rep.next_value(2, choice_kind::spurious_wakeup), values[k]);
  }
  rep.end_execution(200);
  EXPECT_FALSE(rep.diverged());
}

TEST(ReplayStrategy, RunsExactlyOneExecution) {
  replay_strategy rep(schedule{}, 9, "pct");
  EXPECT_TRUE(rep.begin_execution(0));
  EXPECT_FALSE(rep.begin_execution(1));
  EXPECT_EQ(rep.name(), "pct");
}

TEST(ReplayStrategy, AskingForMoreThanRecordedIsDivergence) {
  schedule s;
  s.push(1, 2);
  replay_strategy rep(s, 0, "random");
  rep.begin_execution(0);
  EXPECT_EQ(test::choose(rep, 0b11, 0, false), 1u);
  EXPECT_FALSE(rep.diverged());
  test::choose(rep, 0b11, 0, false);
  EXPECT_TRUE(rep.diverged());
}

TEST(ReplayStrategy, StoppingEarlyIsDivergence) {
  schedule s;
  s.push(1, 2);
  s.push(0, 2);
  replay_strategy rep(s, 0, "random");
  rep.begin_execution(0);
  test::choose(rep, 0b11, 0, false);
  rep.end_execution(1);
  EXPECT_TRUE(rep.diverged());
}

}  // namespace replay_test
}  // namespace lab
