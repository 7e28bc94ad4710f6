#include "harness/detect/lock_order.h"

#include <algorithm>
#include <random>

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
  void nested(std::uint32_t t, object_id first, object_id second, bool try_second = false) {
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

namespace lab {
namespace {

// Brute-force oracle: after every acquisition, is there a cycle among all the "held -> acquired"
// edges seen so far (closure by Floyd-Warshall)? The detector must report exactly at the first
// acquisition after which there is one, and never before.
TEST(LockOrderOracle, FirstCycleMatchesBruteForce) {
  std::mt19937 rng(5);
  int with_cycle = 0, without = 0;
  for (int round = 0; round < 2000; ++round) {
    constexpr std::uint32_t nm = 4;
    test::collect out;
    lock_order_detector det(out);
    det.begin_execution(false);
    test::trace_builder ev;
    std::array<std::vector<object_id>, 3> held;
    std::array<thread_id, nm> owner;
    owner.fill(no_thread);
    bool edge[nm][nm] = {};
    int first_cycle_step = -1;
    for (int k = 0; k < 24; ++k) {
      auto t = static_cast<thread_id>(rng() % 3);
      auto m = static_cast<object_id>(rng() % nm);
      if (owner[m] == t) {  // release it (any order)
        std::erase(held[t], m);
        owner[m] = no_thread;
        det.on_event(ev(t, op::unlock, m));
        continue;
      }
      if (owner[m] != no_thread) continue;  // would block: not part of this trace
      bool is_try = rng() % 5 == 0;
      event e = ev(t, op::lock_acquired, m, is_try ? 1 : 0);
      det.on_event(e);
      if (!is_try)
        for (object_id h : held[t]) edge[h][m] = true;
      held[t].push_back(m);
      owner[m] = t;
      if (first_cycle_step < 0) {
        bool reach[nm][nm];
        for (std::uint32_t i = 0; i < nm; ++i)
          for (std::uint32_t j = 0; j < nm; ++j) reach[i][j] = edge[i][j];
        for (std::uint32_t q = 0; q < nm; ++q)
          for (std::uint32_t i = 0; i < nm; ++i)
            for (std::uint32_t j = 0; j < nm; ++j) reach[i][j] = reach[i][j] || (reach[i][q] && reach[q][j]);
        for (std::uint32_t i = 0; i < nm; ++i)
          if (reach[i][i]) first_cycle_step = static_cast<int>(e.step);
      }
    }
    if (first_cycle_step < 0) {
      EXPECT_TRUE(out.found.empty()) << "round " << round;
      ++without;
    } else {
      ASSERT_EQ(out.found.size(), 1u) << "round " << round;
      EXPECT_EQ(static_cast<int>(out.found[0].step), first_cycle_step) << "round " << round;
      // The reported edges form a cycle: each edge's second mutex is the next edge's first.
      const auto& es = out.found[0].edges;
      for (std::size_t i = 0; i < es.size(); ++i) EXPECT_EQ(es[i].second, es[(i + 1) % es.size()].first);
      ++with_cycle;
    }
  }
  EXPECT_GT(with_cycle, 200);
  EXPECT_GT(without, 200);
}

}  // namespace
}  // namespace lab
