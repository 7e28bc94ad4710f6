#include "harness/detect/deadlock.h"

#include <random>

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace deadlock_test {

using test::collect;
using test::trace_builder;

constexpr object_id ma = 0, mb = 1, cv = 2;
constexpr std::uint64_t bit(std::uint32_t t) { return std::uint64_t{1} << t; }

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

// Pool tasks: a future's condition variable is the task's key.
constexpr object_id pool = 7, task_a = 8, task_b = 9;

TEST_F(DeadlockDetector, WaitingOnARunningTaskPointsAtItsWorker) {
  feed(ev(0, op::task_queued, pool, task_a));
  feed(ev(1, op::task_started, pool, task_a));
  feed(ev(0, op::cv_wait, task_a));  // T0: future.get()
  feed(ev(1, op::lock_acquired, ma));
  feed(ev(2, op::lock_acquired, mb));
  feed(ev(1, op::lock_blocked, mb));
  feed(ev(2, op::lock_blocked, ma));
  det.on_stall(bit(0) | bit(1) | bit(2));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_TRUE(out.found[0].cycle);
  EXPECT_EQ(out.found[0].waits.size(), 2u) << "T0 waits for T1's task, outside the cycle";
}

TEST_F(DeadlockDetector, OnlyWorkerWaitingForATaskQueuedBehindItIsACycleOfOne) {
  feed(ev(0, op::task_queued, pool, task_a));
  feed(ev(1, op::task_started, pool, task_a));
  feed(ev(1, op::task_queued, pool, task_b));  // the task submits a subtask...
  feed(ev(1, op::cv_wait, task_b));            // ...and waits for it
  feed(ev(0, op::cv_wait, task_a));
  det.on_stall(bit(0) | bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_TRUE(f.cycle);
  ASSERT_EQ(f.waits.size(), 1u);
  EXPECT_EQ(f.waits[0].thread, 1u);
  EXPECT_EQ(f.waits[0].what, wait_info::on::task);
  EXPECT_EQ(f.waits[0].object, pool);
  EXPECT_TRUE(f.waits[0].queued);
  EXPECT_EQ(f.waits[0].holder, 1u);
  EXPECT_NE(f.message.find("only worker"), std::string::npos) << f.message;
}

TEST_F(DeadlockDetector, SaturatedPoolIsACycleThroughItsQueue) {
  constexpr object_id sub_a = 10, sub_b = 11;
  feed(ev(0, op::task_queued, pool, task_a));
  feed(ev(0, op::task_queued, pool, task_b));
  feed(ev(1, op::task_started, pool, task_a));
  feed(ev(2, op::task_started, pool, task_b));
  feed(ev(1, op::task_queued, pool, sub_a));
  feed(ev(2, op::task_queued, pool, sub_b));
  feed(ev(1, op::cv_wait, sub_a));
  feed(ev(2, op::cv_wait, sub_b));
  feed(ev(0, op::cv_wait, task_a));
  det.on_stall(bit(0) | bit(1) | bit(2));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_TRUE(f.cycle);
  ASSERT_EQ(f.waits.size(), 2u);
  EXPECT_EQ(f.waits[0].holder, f.waits[1].thread) << "each worker's wait goes through the other";
  EXPECT_EQ(f.waits[1].holder, f.waits[0].thread);
  EXPECT_NE(f.message.find("through a pool's queue"), std::string::npos) << f.message;
}

TEST_F(DeadlockDetector, FinishedTaskIsAPlainConditionAgain) {
  feed(ev(0, op::task_queued, pool, task_a));
  feed(ev(1, op::task_started, pool, task_a));
  feed(ev(1, op::task_done, pool, task_a));
  feed(ev(0, op::cv_wait, task_a));  // waits on a condition nobody will notify
  det.on_stall(bit(0));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_FALSE(out.found[0].cycle);
  EXPECT_EQ(out.found[0].waits.at(0).what, wait_info::on::condition);
}

// Coroutine tasks on an event loop (T0): K5 awaits K6, K6 awaits K5.
constexpr object_id k5 = 20, k6 = 21;

TEST_F(DeadlockDetector, TasksAwaitingEachOtherAreACycleOfTasks) {
  feed(ev(0, op::coro_created, k5));
  feed(ev(0, op::coro_created, k6));
  feed(ev(0, op::coro_waits, k6, k5));
  feed(ev(0, op::coro_waits, k5, k6));
  feed(ev(0, op::cv_wait, cv));  // the loop waits for work that never comes
  det.on_stall(bit(0));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_TRUE(f.cycle);
  ASSERT_EQ(f.waits.size(), 2u);
  EXPECT_EQ(f.waits[0].what, wait_info::on::coroutine);
  EXPECT_NE(f.waits[0].object, f.waits[1].object);
  EXPECT_NE(f.message.find("await each other"), std::string::npos);
}

TEST_F(DeadlockDetector, AwaitEndsWhenTheWaiterResumes) {
  feed(ev(0, op::coro_created, k5));
  feed(ev(0, op::coro_created, k6));
  feed(ev(0, op::coro_waits, k6, k5));
  feed(ev(0, op::coro_resumed, k6, 0));  // k5 finished, k6 resumed
  feed(ev(0, op::coro_waits, k5, k6));   // a later await the other way: no cycle now
  feed(ev(0, op::cv_wait, cv));
  det.on_stall(bit(0));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_FALSE(out.found[0].cycle) << "a plain stall, no cycle of tasks";
}

constexpr object_id lock_a = 12, lock_b = 13, queue = 14;

TEST_F(DeadlockDetector, TasksHoldingAsyncLocksTheOtherAwaitsAreACycleThroughTheLocks) {
  feed(ev(0, op::coro_created, k5));
  feed(ev(0, op::coro_created, k6));
  feed(ev(0, op::coro_acquired, k5, lock_a));
  feed(ev(0, op::coro_acquired, k6, lock_b));
  feed(ev(0, op::coro_waits, k5, lock_b));
  feed(ev(0, op::coro_waits, k6, lock_a));
  feed(ev(0, op::cv_wait, cv));
  det.on_stall(bit(0));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_TRUE(f.cycle);
  ASSERT_EQ(f.waits.size(), 2u);
  for (const wait_info& w : f.waits) {
    EXPECT_EQ(w.what, wait_info::on::coroutine);
    EXPECT_EQ(w.via, w.object == k5 ? lock_b : lock_a);
    EXPECT_EQ(w.holder_task, w.object == k5 ? k6 : k5);
  }
  EXPECT_NE(f.message.find("async lock"), std::string::npos) << f.message;
}

TEST_F(DeadlockDetector, AReleasedAsyncLockIsNoEdge) {
  feed(ev(0, op::coro_created, k5));
  feed(ev(0, op::coro_created, k6));
  feed(ev(0, op::coro_acquired, k5, lock_a));
  feed(ev(0, op::coro_released, k5, lock_a));  // k5 no longer holds it
  feed(ev(0, op::coro_waits, k6, lock_a));
  feed(ev(0, op::coro_waits, k5, k6));
  feed(ev(0, op::cv_wait, cv));
  det.on_stall(bit(0));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_FALSE(f.cycle) << "with k5 still counted as the holder, k6 -> k5 -> k6 would be a cycle";
  ASSERT_EQ(f.waits.size(), 2u);
  EXPECT_EQ(f.waits[0].object, k6);
  EXPECT_EQ(f.waits[0].holder_task, no_object);
}

TEST_F(DeadlockDetector, ATaskParkedOnAQueueIsTheFindingNotTheLoopsWait) {
  feed(ev(0, op::coro_created, k5));
  feed(ev(0, op::coro_created, k6));
  feed(ev(0, op::coro_waits, k5, queue));
  feed(ev(0, op::coro_waits, k6, k5));  // main awaits the consumer
  feed(ev(0, op::cv_wait, cv));         // the loop waits for work that never comes
  det.on_stall(bit(0));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::deadlock);
  EXPECT_FALSE(f.cycle);
  ASSERT_EQ(f.waits.size(), 2u) << "the two tasks; not the loop thread's condition variable";
  EXPECT_EQ(f.waits[0].object, k5) << "the parked task first";
  EXPECT_EQ(f.waits[0].via, queue);
  EXPECT_EQ(f.waits[0].holder_task, no_object);
  EXPECT_EQ(f.waits[1].object, k6);
  EXPECT_EQ(f.waits[1].holder_task, k5);
}

TEST_F(DeadlockDetector, TasksAwaitingOnlyTasksKeepTheThreadReport) {
  feed(ev(0, op::coro_created, k5));
  feed(ev(0, op::coro_created, k6));
  feed(ev(0, op::coro_waits, k6, k5));  // k5 waits on something that is not an async primitive
  feed(ev(0, op::cv_wait, cv));
  det.on_stall(bit(0));
  ASSERT_EQ(out.found.size(), 1u);
  ASSERT_EQ(out.found[0].waits.size(), 1u);
  EXPECT_EQ(out.found[0].waits[0].what, wait_info::on::condition);
}

constexpr object_id ready = 20;

TEST_F(DeadlockDetector, NotifyBeforeWaitIsALostWakeup) {
  feed(ev(2, op::write, ready));  // ready = true
  event notify = ev(2, op::cv_notify_one, cv, /*waiters=*/0);
  feed(notify);
  feed(ev(1, op::cv_wait, cv));  // a blind wait
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
  EXPECT_EQ(f.notes[0].step, notify.step);
}

// Both at step 10: the waiter was preempted at its own scheduling point and the notify ran in
// between. Stream order, not the step number, says which came first.
TEST_F(DeadlockDetector, NotifyAndWaitAtTheSameStepStillALostWakeup) {
  feed(ev(2, op::atomic_store, ready));
  event notify = ev(2, op::cv_notify_one, cv, 0);
  event wait = ev(1, op::cv_wait, cv);
  notify.step = wait.step = 10;
  feed(notify);
  feed(wait);
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::lost_wakeup);
}

// The write may come after the notify too (the notifier notified, then set the flag): the
// waiter still missed it.
TEST_F(DeadlockDetector, ANotifyBeforeTheWriteIsLostToo) {
  feed(ev(1, op::read, ready));                        // false
  feed(ev(2, op::cv_notify_one, cv, /*waiters=*/0));
  feed(ev(2, op::atomic_rmw, ready));                  // then sets it
  feed(ev(1, op::cv_wait, cv));
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::lost_wakeup);
}

// A waiter that looked at shared state after the notification (its predicate) and still waits
// waits for a condition nobody will make true: a deadlock, not a lost wakeup - the same verdict
// whichever came first, the notify or the wait.
TEST_F(DeadlockDetector, AWaiterThatCheckedAfterTheNotifyIsDeadlockedNotLost) {
  feed(ev(2, op::write, ready));
  feed(ev(2, op::cv_notify_one, cv, /*waiters=*/0));
  feed(ev(1, op::read, ready));  // while (!ready) ...
  feed(ev(1, op::cv_wait, cv));  // ... cv.wait(lk)
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::deadlock);
}

// Nobody wrote anything the waiter had not seen: the notification carried no news, and the
// waiter would wait again had it got it. A deadlock in either order, and whether the waiter
// looked before the notify or after it.
TEST_F(DeadlockDetector, ANotifyWithoutNewsIsADeadlockInEveryOrder) {
  for (int order = 0; order < 3; ++order) {
    collect o;
    deadlock_detector d{o};
    d.begin_execution(false);
    trace_builder e;
    if (order == 0) d.on_event(e(2, op::cv_notify_one, cv, 0));
    d.on_event(e(1, op::read, ready));
    if (order == 1) d.on_event(e(2, op::cv_notify_one, cv, 0));
    d.on_event(e(1, op::cv_wait, cv));
    if (order == 2) {
      d.on_event(e(2, op::cv_notify_one, cv, 1));
      d.on_event(e(1, op::cv_woken, cv));
      d.on_event(e(1, op::read, ready));
      d.on_event(e(1, op::cv_wait, cv));
    }
    d.on_stall(bit(1));
    ASSERT_EQ(o.found.size(), 1u);
    EXPECT_EQ(o.found[0].kind, verdict::deadlock) << "order " << order;
  }
}

// A blind wait - nothing looked at since the waiter took its lock - waits for the notification
// itself: a notification before it is lost, news or no news. A look before taking the lock does
// not excuse it.
TEST_F(DeadlockDetector, ALookBeforeTheLockDoesNotExcuseABlindWait) {
  feed(ev(1, op::read, ready));                        // the waiter read something earlier
  feed(ev(1, op::lock_acquired, ma));                  // then took its lock
  feed(ev(2, op::cv_notify_one, cv, /*waiters=*/0));  // the notify, with nobody waiting
  feed(ev(1, op::cv_wait, cv));                        // then a blind wait: the notify is lost
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::lost_wakeup);
}

TEST_F(DeadlockDetector, ALoopThatLooksUnderTheLockIsNotBlind) {
  feed(ev(1, op::lock_acquired, ma));
  feed(ev(1, op::read, ready));                        // while (!ready) ...
  feed(ev(2, op::cv_notify_one, cv, /*waiters=*/0));  // a notify with no news
  feed(ev(1, op::cv_wait, cv));                        // ... cv.wait(lk)
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::deadlock);
}

// The waiter's own writes are no news to it.
TEST_F(DeadlockDetector, TheWaitersOwnWriteIsNoNews) {
  feed(ev(1, op::read, ready));
  feed(ev(1, op::write, ready));
  feed(ev(2, op::cv_notify_one, cv, /*waiters=*/0));
  feed(ev(1, op::cv_wait, cv));
  det.on_stall(bit(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::deadlock);
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

}  // namespace deadlock_test
}  // namespace lab

namespace lab {
namespace deadlock_test {

// Brute-force oracle: random ownership and wait states for up to 5 threads; a wait-for cycle
// exists exactly when the closure of "waits for the holder / the joined thread" has a loop.
TEST(DeadlockOracle, CycleReportedExactlyWhenOneExists) {
  std::mt19937 rng(11);
  int cycles = 0, none = 0;
  for (int round = 0; round < 3000; ++round) {
    test::collect out;
    deadlock_detector det(out);
    det.begin_execution(false);
    test::trace_builder ev;
    const std::uint32_t n = 2 + rng() % 4, nm = 1 + rng() % 4;
    std::vector<thread_id> owner(nm, no_thread);
    for (object_id m = 0; m < nm; ++m)
      if (rng() % 4 != 0) {
        owner[m] = static_cast<thread_id>(rng() % n);
        det.on_event(ev(owner[m], op::lock_acquired, m));
      }
    std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
    std::uint64_t blocked = 0;
    for (std::uint32_t t = 0; t < n; ++t) {
      blocked |= std::uint64_t{1} << t;
      if (rng() % 2) {
        auto m = static_cast<object_id>(rng() % nm);
        det.on_event(ev(t, op::lock_blocked, m));
        if (owner[m] != no_thread) reach[t][owner[m]] = true;
      } else {
        auto target = static_cast<thread_id>(rng() % n);
        det.on_event(ev(t, op::join_blocked, no_object, target));
        reach[t][target] = true;
      }
    }
    for (std::uint32_t k = 0; k < n; ++k)
      for (std::uint32_t i = 0; i < n; ++i)
        for (std::uint32_t j = 0; j < n; ++j) reach[i][j] = reach[i][j] || (reach[i][k] && reach[k][j]);
    bool cyclic = false;
    for (std::uint32_t i = 0; i < n; ++i) cyclic = cyclic || reach[i][i];
    det.on_stall(blocked);
    ASSERT_EQ(out.found.size(), 1u);
    const finding& f = out.found[0];
    EXPECT_EQ(f.kind, verdict::deadlock);
    ASSERT_EQ(f.cycle, cyclic) << "round " << round;
    if (!cyclic) {
      ++none;
      continue;
    }
    ++cycles;
    for (std::size_t i = 0; i < f.waits.size(); ++i)
      EXPECT_EQ(f.waits[i].holder, f.waits[(i + 1) % f.waits.size()].thread) << "round " << round;
  }
  EXPECT_GT(cycles, 300);
  EXPECT_GT(none, 300);
}

}  // namespace deadlock_test
}  // namespace lab
