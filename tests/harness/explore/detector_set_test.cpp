// The detector set without fibers: events in, findings out, as the runtime would feed it.
#include "harness/explore/detector_set.h"

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace detector_set_test {

using test::collect;
using test::trace_builder;

constexpr object_id m = 0, x = 1;
constexpr std::uint64_t ms = 1'000'000;

struct DetectorSet : ::testing::Test {
  collect out;
  detector_set set{out, options{}};
  trace_builder ev;
  void SetUp() override {
    set.begin_execution(false);
    // The runtime registers every object before its first event.
    set.on_object(m, {.kind = object_kind::mutex});
    set.on_object(x, {.kind = object_kind::shared});
    for (object_id o = 2; o <= 6; ++o) set.on_object(o, {.kind = object_kind::mutex});
  }
  void feed(const event& e) {
    if (set.interest() & mask_of(e.kind)) set.on_event(e);
  }
};

TEST_F(DetectorSet, WantsWhatEveryDetectorWants) {
  op_mask m0 = set.interest();
  for (op_mask want : {race_detector::ops, deadlock_detector::ops, lock_order_detector::ops, misuse_detector::ops,
                       starvation_detector::ops, livelock_detector::ops, loop_stall_detector::ops,
                       task_lifecycle_detector::ops, fork_detector::ops})
    EXPECT_EQ(m0 & want, want);
}

// One lock table serves every detector: the race detector's happens-before and the misuse
// detector's owner both come from the same stream, each seeing the table before the event.
TEST_F(DetectorSet, SharedLockTableFeedsTheMisuseDetector) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty());
  feed(ev(1, op::unlock, m));  // T1 unlocks what T0 holds
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::mutex_misuse);
  EXPECT_EQ(out.found[0].message, "T1 unlocks a mutex held by T0");
}

TEST_F(DetectorSet, ARelockByTheOwnerIsNotMisuseAndTheUnlockIsFine) {
  feed(ev(0, op::lock_acquired, m));
  feed(ev(0, op::unlock, m));
  feed(ev(0, op::lock_acquired, m));
  feed(ev(0, op::unlock, m));
  EXPECT_TRUE(out.found.empty());
}

TEST_F(DetectorSet, RacesAreFoundThroughTheSet) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::thread_spawn, no_object, 2));
  feed(ev(1, op::lock_acquired, m));
  feed(ev(1, op::write, x));
  feed(ev(1, op::unlock, m));
  feed(ev(2, op::lock_acquired, m));
  feed(ev(2, op::write, x));  // ordered by the mutex: no race
  feed(ev(2, op::unlock, m));
  EXPECT_TRUE(out.found.empty());
  feed(ev(1, op::read, x));  // T1 read without the lock after T2's write: a race
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::data_race);
}

// A lock-order inversion needs the per-thread list of held locks from the shared table.
TEST_F(DetectorSet, LockOrderReadsTheSharedTable) {
  constexpr object_id a = 2, b = 3;
  feed(ev(1, op::lock_acquired, a));
  feed(ev(1, op::lock_acquired, b));
  feed(ev(1, op::unlock, b));
  feed(ev(1, op::unlock, a));
  feed(ev(2, op::lock_acquired, b));
  feed(ev(2, op::lock_acquired, a));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::lock_order_inversion);
}

// The precedence at a stall: a wait-for cycle before a loop stall still collecting victims.
TEST_F(DetectorSet, AtAStallTheDeadlockComesBeforeAPendingLoopStall) {
  constexpr object_id k = 4, a = 5, b = 6;
  feed(ev(1, op::coro_resumed, k));
  ev.time = 200 * ms;
  feed(ev(1, op::coro_suspended, k));  // a 200 ms step: a loop stall, pending (no victim yet)
  EXPECT_TRUE(out.found.empty());
  feed(ev(2, op::lock_acquired, a));
  feed(ev(3, op::lock_acquired, b));
  feed(ev(2, op::lock_blocked, b));
  feed(ev(3, op::lock_blocked, a));
  set.on_stall((1u << 2) | (1u << 3));
  ASSERT_EQ(out.found.size(), 2u);
  EXPECT_EQ(out.found[0].kind, verdict::deadlock);
  EXPECT_EQ(out.found[1].kind, verdict::loop_stall);
}

// Without a task step the loop-stall detector is dormant: a long blocking call on a plain
// thread is no loop stall.
TEST_F(DetectorSet, TheLoopStallDetectorSleepsUntilATaskStepBegins) {
  feed(ev(1, op::work, no_object, 500 * ms));
  ev.time = 500 * ms;
  feed(ev(1, op::sleep, no_object, 1));
  set.on_complete();
  EXPECT_TRUE(out.found.empty());
}

TEST_F(DetectorSet, BeginExecutionForgetsTheLockTable) {
  feed(ev(0, op::lock_acquired, m));
  set.begin_execution(false);
  feed(ev(1, op::lock_acquired, m));
  feed(ev(1, op::unlock, m));  // T1 owns it in this execution: no misuse
  EXPECT_TRUE(out.found.empty());
}

}  // namespace detector_set_test
}  // namespace lab
