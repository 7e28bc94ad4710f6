#include "harness/detect/deadlock.h"

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace {

using test::collect;
using test::trace_builder;

constexpr object_id ma = 0, mb = 1, cv = 2;
constexpr std::uint64_t bit(thread_id t) { return std::uint64_t{1} << t; }

struct DeadlockDetector : ::testing::Test {
  collect out;
  deadlock_detector det{out};
  trace_builder ev;
  void SetUp() override { det.begin_execution(true); }
  void feed(const event& e) { det.on_event(e); }
};

TEST_F(DeadlockDetector, TwoThreadCycle) {
  feed(ev(1, op::lock_acquired, ma));
  feed(ev(2, op::lock_acquired, mb));
  feed(ev(1, op::lock_blocked, mb));
  feed(ev(2, op::lock_blocked, ma));
  feed(ev(0, op::join_blocked, no_object, 1));
  det.on_stall(bit(0) | bit(1) | bit(2));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::deadlock);
  EXPECT_TRUE(f.cycle);
  ASSERT_EQ(f.waits.size(), 2u) << "T0 waits on the cycle but is not part of it";
  for (const auto& w : f.waits) {
    EXPECT_EQ(w.what, wait_info::on::mutex);
    EXPECT_NE(w.holder, w.thread);
    EXPECT_EQ(w.holder, w.thread == 1 ? 2u : 1u);
    EXPECT_EQ(w.object, w.thread == 1 ? mb : ma);
  }
}

TEST_F(DeadlockDetector, RelockOfOwnMutexIsACycleOfOne) {
  feed(ev(1, op::lock_acquired, ma));
  feed(ev(1, op::lock_blocked, ma));
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_TRUE(out.found[0].cycle);
  ASSERT_EQ(out.found[0].waits.size(), 1u);
  EXPECT_EQ(out.found[0].waits[0].holder, 1u);
  EXPECT_NE(out.found[0].message.find("already holds"), std::string::npos);
}

TEST_F(DeadlockDetector, NotifyBeforeWaitIsALostWakeup) {
  feed(ev(2, op::cv_notify_one, cv, /*waiters=*/0));
  feed(ev(1, op::cv_wait, cv));
  feed(ev(0, op::join_blocked, no_object, 1));
  det.on_stall(bit(0) | bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::lost_wakeup);
  EXPECT_EQ(f.thread, 1u);
  ASSERT_FALSE(f.waits.empty());
  EXPECT_EQ(f.waits[0].thread, 1u);
  ASSERT_EQ(f.notes.size(), 1u);
  EXPECT_EQ(f.notes[0].thread, 2u);
  EXPECT_EQ(f.notes[0].step, 1u);
}

TEST_F(DeadlockDetector, WaitWithNoNotifyAtAllIsAPlainDeadlock) {
  feed(ev(1, op::cv_wait, cv));
  feed(ev(2, op::cv_notify_one, cv, /*waiters=*/1));  // notified someone; not lost
  feed(ev(1, op::cv_woken, cv));
  feed(ev(1, op::cv_wait, cv));
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::deadlock);
  EXPECT_FALSE(out.found[0].cycle);
}

TEST_F(DeadlockDetector, PartialDeadlockListsTheBlockedThreads) {
  feed(ev(1, op::lock_acquired, ma));
  feed(ev(1, op::thread_finish));  // finished holding ma: nobody will release it
  feed(ev(2, op::lock_blocked, ma));
  det.on_stall(bit(2));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::deadlock);
  EXPECT_FALSE(out.found[0].cycle);
  ASSERT_EQ(out.found[0].waits.size(), 1u);
  EXPECT_EQ(out.found[0].waits[0].holder, 1u);
}

TEST_F(DeadlockDetector, QuietWithoutAStall) {
  feed(ev(1, op::lock_acquired, ma));
  feed(ev(2, op::lock_blocked, ma));
  feed(ev(1, op::unlock, ma));
  feed(ev(2, op::lock_acquired, ma));
  det.on_complete();
  EXPECT_TRUE(out.found.empty());
}

TEST_F(DeadlockDetector, ForgetsThePreviousExecution) {
  feed(ev(2, op::cv_notify_one, cv, 0));
  det.begin_execution(true);
  feed(ev(1, op::cv_wait, cv));
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::deadlock) << "the notify belonged to another execution";
}

}  // namespace
}  // namespace lab
