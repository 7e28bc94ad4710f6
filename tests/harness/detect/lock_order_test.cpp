#include "harness/detect/lock_order.h"

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace {

using test::collect;
using test::trace_builder;

constexpr object_id ma = 0, mb = 1, mc = 2;

struct LockOrderDetector : ::testing::Test {
  collect out;
  lock_order_detector det{out};
  trace_builder ev;
  void SetUp() override { det.begin_execution(true); }
  void nested(thread_id t, object_id first, object_id second, bool try_second = false) {
    det.on_event(ev(t, op::lock_acquired, first));
    det.on_event(ev(t, op::lock_acquired, second, try_second ? 1 : 0));
    det.on_event(ev(t, op::unlock, second));
    det.on_event(ev(t, op::unlock, first));
  }
};

TEST_F(LockOrderDetector, OppositeOrdersInversion) {
  nested(1, ma, mb);
  EXPECT_TRUE(out.found.empty());
  nested(2, mb, ma);
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::lock_order_inversion);
  ASSERT_EQ(f.edges.size(), 2u);
  EXPECT_EQ(f.edges[0].first, mb);
  EXPECT_EQ(f.edges[0].second, ma);
  EXPECT_EQ(f.edges[0].thread, 2u);
  EXPECT_EQ(f.edges[1].first, ma);
  EXPECT_EQ(f.edges[1].second, mb);
  EXPECT_EQ(f.edges[1].thread, 1u);
}

TEST_F(LockOrderDetector, ThreeLockCycle) {
  nested(1, ma, mb);
  nested(2, mb, mc);
  EXPECT_TRUE(out.found.empty());
  nested(3, mc, ma);
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].edges.size(), 3u);
}

TEST_F(LockOrderDetector, ConsistentOrderIsQuiet) {
  nested(1, ma, mb);
  nested(2, ma, mb);
  nested(1, mb, mc);
  EXPECT_TRUE(out.found.empty());
}

TEST_F(LockOrderDetector, TryLockAddsNoEdge) {
  nested(1, ma, mb);
  nested(2, mb, ma, /*try_second=*/true);
  EXPECT_TRUE(out.found.empty());
}

TEST_F(LockOrderDetector, RecursiveRelockAddsNoEdge) {
  det.on_event(ev(1, op::lock_acquired, ma));
  det.on_event(ev(1, op::lock_acquired, mb));
  det.on_event(ev(1, op::lock_acquired, ma));  // recursive: already held
  EXPECT_TRUE(out.found.empty());
}

TEST_F(LockOrderDetector, SameThreadBothOrdersAlsoCounts) {
  // lockdep and TSan report this too: another thread running the same code deadlocks.
  nested(1, ma, mb);
  nested(1, mb, ma);
  EXPECT_EQ(out.found.size(), 1u);
}

}  // namespace
}  // namespace lab
