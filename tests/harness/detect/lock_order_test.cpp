#include "harness/detect/lock_order.h"

#include <algorithm>
#include <functional>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace lock_order_test {

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

// One thread taking A then B, later B then A, alone: it cannot deadlock with itself. Quiet -
// and as soon as another thread takes the other order, reported.
TEST_F(LockOrderDetector, OneThreadsOwnCycleIsQuietAndASecondThreadMakesItReal) {
  nested(1, ma, mb);
  nested(1, mb, ma);
  EXPECT_TRUE(out.found.empty()) << "a cycle of one thread's own edges cannot deadlock";
  nested(2, ma, mb);
  ASSERT_EQ(out.found.size(), 1u);
  std::set<std::uint32_t> threads;
  for (const auto& e : out.found[0].edges) threads.insert(e.thread);
  EXPECT_EQ(threads.size(), 2u) << "the report names the two threads that can deadlock";
}

// Both orders, but always under one gate lock G: serialised, they cannot deadlock (the
// gate-lock rule). The buggy twin - one of the two without the gate - is reported.
TEST_F(LockOrderDetector, AGateLockSerialisesBothOrders) {
  constexpr object_id gate = mc;
  auto under_gate = [&](std::uint32_t t, object_id first, object_id second) {
    det.on_event(ev(t, op::lock_acquired, gate));
    nested(t, first, second);
    det.on_event(ev(t, op::unlock, gate));
  };
  under_gate(1, ma, mb);
  under_gate(2, mb, ma);
  EXPECT_TRUE(out.found.empty()) << "both orders are taken only while holding the gate";
  nested(3, mb, ma);  // the twin: no gate
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::lock_order_inversion);
}

}  // namespace lock_order_test
}  // namespace lab

namespace lab {
namespace lock_order_test {

// Brute-force oracle: after every acquisition, is there a cycle among all the "held -> acquired"
// edges seen so far that could deadlock - some choice of one instance per edge (the thread, and
// the other locks it held) from two threads or more with no held lock common to all? Every
// simple cycle of the four mutexes is tried. The detector must report exactly at the first
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
    // instances[h][m]: (thread, mask of the other locks held) of every edge h -> m
    std::set<std::pair<std::uint32_t, std::uint32_t>> instances[nm][nm];
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
        for (object_id h : held[t]) {
          std::uint32_t gates = 0;
          for (object_id g : held[t])
            if (g != h) gates |= 1u << g;
          instances[h][m].insert({t, gates});
        }
      held[t].push_back(m);
      owner[m] = t;
      if (first_cycle_step < 0) {
        // Every sequence of distinct mutexes of length 2..4 is a candidate cycle.
        bool deadlocks = false;
        std::vector<std::uint32_t> order = {0, 1, 2, 3};
        for (std::uint32_t len = 2; len <= nm && !deadlocks; ++len) {
          std::sort(order.begin(), order.end());
          do {
            // instance choices for the cycle order[0] -> ... -> order[len-1] -> order[0]
            std::function<bool(std::uint32_t, std::uint32_t, bool, std::uint32_t)> pick =
                [&](std::uint32_t i, std::uint32_t common, bool two, std::uint32_t first_thread) {
                  if (i == len) return two && common == 0;
                  for (auto [th, gates] : instances[order[i]][order[(i + 1) % len]]) {
                    std::uint32_t c = i == 0 ? gates : (common & gates);
                    if (pick(i + 1, c, two || (i > 0 && th != first_thread), i == 0 ? th : first_thread)) return true;
                  }
                  return false;
                };
            deadlocks = pick(0, 0, false, 0);
          } while (!deadlocks && std::next_permutation(order.begin(), order.end()));
        }
        if (deadlocks) first_cycle_step = static_cast<int>(e.step);
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

}  // namespace lock_order_test
}  // namespace lab
