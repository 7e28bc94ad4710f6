#include "harness/detect/fork.h"

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace fork_test {

using test::collect;
using test::trace_builder;

struct ForkDetector : ::testing::Test {
  collect out;
  fork_detector det{out};
  trace_builder ev;
  void SetUp() override { det.begin_execution(true); }
  /// T2, the child of T0's fork, locks M1, its copy of M0, which T`holder` held at the fork.
  event inherited(std::uint32_t holder) { return ev(2, op::lock_inherited, 1, inherited_lock{0, thread_id{holder}}.pack()); }
};

TEST_F(ForkDetector, ChildLockingAMutexHeldAtTheForkIsADeadlock) {
  auto acquire = ev(1, op::lock_acquired, 0);
  acquire.loc = std::source_location::current();
  det.on_event(acquire);
  det.on_event(ev(0, op::thread_spawn, no_object, 2));
  det.on_event(ev(0, op::process_fork, no_object, 2));
  det.on_event(inherited(1));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::deadlock);
  EXPECT_EQ(f.thread, 2u);
  ASSERT_EQ(f.waits.size(), 1u);
  EXPECT_EQ(f.waits[0].holder, 1u);
  EXPECT_EQ(f.waits[0].object, 1u);
  EXPECT_EQ(f.waits[0].held_at.line(), acquire.loc.line()) << "where the holder took the mutex, as at the fork";
  ASSERT_EQ(f.notes.size(), 2u);
  EXPECT_EQ(f.notes[0].thread, 1u) << "where the holder took the parent's mutex";
  EXPECT_EQ(f.notes[0].loc.line(), acquire.loc.line());
  EXPECT_EQ(f.notes[1].thread, 0u);
  EXPECT_EQ(f.notes[1].step, 3u) << "the fork's step";
}

TEST_F(ForkDetector, WhereTheHolderTookTheMutexIsTheOneBeforeTheFork) {
  auto before = ev(1, op::lock_acquired, 0);
  before.loc = std::source_location::current();
  det.on_event(before);
  det.on_event(ev(0, op::process_fork, no_object, 2));
  det.on_event(ev(1, op::unlock, 0));
  auto after = ev(1, op::lock_acquired, 0);
  after.loc = std::source_location::current();
  det.on_event(after);  // the parent goes on; the child's copy is as it was at the fork
  det.on_event(inherited(1));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].waits[0].held_at.line(), before.loc.line());
}

TEST_F(ForkDetector, QuietWhenTheChildGetsItsCopy) {
  det.on_event(ev(1, op::lock_acquired, 0));
  det.on_event(ev(1, op::unlock, 0));
  det.on_event(ev(0, op::process_fork, no_object, 2));
  det.on_event(ev(2, op::lock_acquired, 1));
  det.on_event(ev(2, op::unlock, 1));
  EXPECT_TRUE(out.found.empty());
}

TEST_F(ForkDetector, ForgetsTheForkBetweenExecutions) {
  det.on_event(ev(1, op::lock_acquired, 0));
  det.on_event(ev(0, op::process_fork, no_object, 2));
  det.begin_execution(false);
  det.on_event(inherited(1));
  ASSERT_EQ(out.found.size(), 1u) << "the runtime decides a lock is inherited; the detector explains it";
  EXPECT_TRUE(out.found[0].notes.empty()) << "no fork in this execution to point at, no holder's lock";
}

}  // namespace fork_test
}  // namespace lab
