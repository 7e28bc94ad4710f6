#include "harness/detect/starvation.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/support/collect.h"

namespace lab {
namespace {

using test::collect;
using test::trace_builder;

constexpr object_id m = 0;

TEST(StarvationDetector, WaiterPassedOverTooOftenIsReported) {
  collect out;
  starvation_detector det(out, {.grants = 5});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(2, op::lock_blocked, m));
  for (int i = 0; i < 4; ++i) det.on_event(ev(1, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty()) << "four times is under the limit";
  det.on_event(ev(3, op::lock_acquired, m));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::starvation);
  EXPECT_EQ(f.thread, 2u);
  ASSERT_EQ(f.notes.size(), 2u) << "T1 and T3 got it meanwhile";
  EXPECT_EQ(f.notes[0].thread, 1u);
  EXPECT_NE(f.notes[0].text.find("4 times"), std::string::npos);
  EXPECT_EQ(f.notes[1].thread, 3u);
}

TEST(StarvationDetector, GettingItEndsTheWait) {
  collect out;
  starvation_detector det(out, {.grants = 3});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(2, op::lock_blocked, m));
  det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(2, op::lock_acquired, m));  // T2 got in
  det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(1, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty());
}

TEST(StarvationDetector, RepeatedBlocksAreOneWait) {
  collect out;
  starvation_detector det(out, {.grants = 3});
  det.begin_execution(true);
  trace_builder ev;
  for (int i = 0; i < 3; ++i) {
    det.on_event(ev(2, op::lock_blocked, m));  // woken, beaten to it, blocks again
    det.on_event(ev(1, op::lock_acquired, m));
  }
  EXPECT_EQ(out.found.size(), 1u);
}

TEST(StarvationDetector, MinimumWaitInVirtualTime) {
  collect out;
  starvation_detector det(out, {.grants = 2, .min_wait_ns = 1'000'000});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(2, op::sem_blocked, m));
  for (int i = 0; i < 10; ++i) det.on_event(ev(1, op::sem_acquired, m));  // all at time 0
  EXPECT_TRUE(out.found.empty());
  event late = ev(1, op::sem_acquired, m);
  late.time = 2'000'000;
  det.on_event(late);
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].waits.at(0).what, wait_info::on::semaphore);
}

TEST(StarvationDetector, ZeroGrantsTurnsItOff) {
  collect out;
  starvation_detector det(out, {.grants = 0});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(2, op::lock_blocked, m));
  for (int i = 0; i < 100; ++i) det.on_event(ev(1, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty());
}

// Brute force: for each waiter, count the acquisitions of its object by others between its first
// block and its own acquisition; the detector must report at the first event where any count
// reaches the limit.
TEST(StarvationOracle, FirstReportMatchesBruteForce) {
  std::mt19937 rng(3);
  int reported = 0, quiet = 0;
  for (int round = 0; round < 3000; ++round) {
    constexpr std::uint64_t limit = 4;
    collect out;
    starvation_detector det(out, {.grants = limit});
    det.begin_execution(false);
    trace_builder ev;
    std::vector<event> es;
    for (int k = 0; k < 30; ++k) {
      auto t = static_cast<thread_id>(rng() % 4);
      auto o = static_cast<object_id>(rng() % 2);
      es.push_back(ev(t, rng() % 3 == 0 ? op::lock_blocked : op::lock_acquired, o));
    }
    int want_step = -1;
    for (std::size_t i = 0; i < es.size() && want_step < 0; ++i) {
      if (es[i].kind != op::lock_acquired) continue;
      for (thread_id w = 0; w < 4 && want_step < 0; ++w) {
        if (w == es[i].thread) continue;
        // w's current want of es[i].object: its first block with no own acquisition since
        std::size_t since = es.size();
        for (std::size_t j = 0; j < i; ++j) {
          if (es[j].thread != w) continue;
          if (es[j].kind == op::lock_blocked && since == es.size()) since = j;
          if (es[j].kind == op::lock_blocked && since != es.size() && es[since].object != es[j].object) since = j;
          if (es[j].kind == op::lock_acquired && since != es.size() && es[since].object == es[j].object) since = es.size();
        }
        if (since == es.size() || es[since].object != es[i].object) continue;
        std::uint64_t n = 0;
        for (std::size_t j = since + 1; j <= i; ++j)
          if (es[j].kind == op::lock_acquired && es[j].object == es[i].object && es[j].thread != w) ++n;
        if (n >= limit) want_step = static_cast<int>(es[i].step);
      }
    }
    for (const auto& e : es) det.on_event(e);
    if (want_step < 0) {
      EXPECT_TRUE(out.found.empty()) << "round " << round;
      ++quiet;
    } else {
      ASSERT_EQ(out.found.size(), 1u) << "round " << round;
      EXPECT_EQ(static_cast<int>(out.found[0].step), want_step) << "round " << round;
      ++reported;
    }
  }
  EXPECT_GT(reported, 300);
  EXPECT_GT(quiet, 300);
}

}  // namespace
}  // namespace lab
