#include "harness/detect/task_lifecycle.h"

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace task_lifecycle_test {

using test::collect;
using test::trace_builder;

constexpr object_id k = 4;

struct TaskLifecycleDetector : ::testing::Test {
  collect out;
  task_lifecycle_detector det{out};
  trace_builder ev;
  void SetUp() override { det.begin_execution(true); }
};

TEST_F(TaskLifecycleDetector, DroppedWithoutAwaitIsNeverAwaited) {
  det.on_event(ev(0, op::coro_created, k));
  det.on_event(ev(0, op::coro_dropped, k));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::never_awaited);
}

TEST_F(TaskLifecycleDetector, AwaitedOrSpawnedIsFine) {
  det.on_event(ev(0, op::coro_created, k));
  det.on_event(ev(0, op::coro_awaited, k));
  det.on_event(ev(0, op::coro_retrieved, k));
  det.on_event(ev(0, op::coro_dropped, k));
  det.on_event(ev(0, op::coro_created, k + 1));
  det.on_event(ev(0, op::coro_scheduled, k + 1));
  det.on_event(ev(0, op::coro_suspended, k + 1, 1));  // finished normally, result never read
  det.on_event(ev(0, op::coro_dropped, k + 1));
  EXPECT_TRUE(out.found.empty());
}

TEST_F(TaskLifecycleDetector, SpawnedTaskFailingUnretrievedIsLost) {
  det.on_event(ev(0, op::coro_created, k));
  det.on_event(ev(0, op::coro_scheduled, k));
  det.on_event(ev(0, op::coro_suspended, k, 2));  // ended with an exception
  det.on_event(ev(0, op::coro_dropped, k));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::task_exception_lost);
  EXPECT_EQ(out.found[0].step, 4u);
}

TEST_F(TaskLifecycleDetector, RetrievedExceptionIsNotLost) {
  det.on_event(ev(0, op::coro_created, k));
  det.on_event(ev(0, op::coro_scheduled, k));
  det.on_event(ev(0, op::coro_suspended, k, 2));
  det.on_event(ev(0, op::coro_retrieved, k));
  det.on_event(ev(0, op::coro_dropped, k));
  EXPECT_TRUE(out.found.empty());
}

TEST_F(TaskLifecycleDetector, TaskPendingWhenMainFinishedIsOrphaned) {
  det.on_event(ev(0, op::coro_created, k));      // main
  det.on_event(ev(0, op::coro_scheduled, k));
  det.on_event(ev(0, op::coro_created, k + 1));  // its child
  det.on_event(ev(0, op::coro_scheduled, k + 1));
  det.on_event(ev(0, op::coro_suspended, k, 1));  // main finished
  det.on_event(ev(0, op::coro_orphaned, k + 1, k));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::task_orphaned);
  ASSERT_EQ(out.found[0].notes.size(), 2u);
  EXPECT_EQ(out.found[0].notes[0].step, 4u) << "where it was spawned";
}

// An orphan is potential: a lost exception later in the same execution is still reported.
TEST_F(TaskLifecycleDetector, OrphanDoesNotHideALostException) {
  det.on_event(ev(0, op::coro_created, k));
  det.on_event(ev(0, op::coro_scheduled, k));
  det.on_event(ev(0, op::coro_orphaned, k, 1));
  det.on_event(ev(0, op::coro_created, k + 1));
  det.on_event(ev(0, op::coro_orphaned, k + 1, 1));  // the first orphan only
  det.on_event(ev(0, op::coro_created, k + 2));
  det.on_event(ev(0, op::coro_scheduled, k + 2));
  det.on_event(ev(0, op::coro_suspended, k + 2, 2));
  det.on_event(ev(0, op::coro_dropped, k + 2));
  ASSERT_EQ(out.found.size(), 2u);
  EXPECT_EQ(out.found[0].kind, verdict::task_orphaned);
  EXPECT_EQ(out.found[1].kind, verdict::task_exception_lost);
}

TEST(CoroutineName, ShortensSignatures) {
  EXPECT_EQ(coroutine_name("lab::task<int> lab::scenarios::{anonymous}::fetch(int, bool)"), "fetch");
  EXPECT_EQ(coroutine_name("lab::scenarios::serve<lab::task<int> (*)(lab::event_loop*)>(Handler, int)::<lambda(Handler)>"),
            "lambda in serve");
  EXPECT_EQ(coroutine_name(""), "<coroutine>");
}

TEST(CoroutineName, ShortensClangSignatures) {
  // clang++ spells anonymous namespaces and lambdas with parentheses, and template arguments
  // after the parameters.
  EXPECT_EQ(coroutine_name("task<int> lab::scenarios::(anonymous namespace)::withdraw(account &, "
                           "async_mutex &, int) [Locked = false]"),
            "withdraw");
  EXPECT_EQ(coroutine_name("auto lab::scenarios::(anonymous namespace)::run(bool)::(anonymous "
                           "class)::operator()() const"),
            "lambda in run");
  EXPECT_EQ(coroutine_name("lab::task<void> (anonymous namespace)::main_task()"), "main_task");
}

}  // namespace task_lifecycle_test
}  // namespace lab
