#include "harness/detect/starvation.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "tests/support/collect.h"

namespace lab {
namespace starvation_test {

using test::collect;
using test::trace_builder;

constexpr object_id m = 0;
constexpr object_id other = 1;
constexpr std::uint64_t ms = 1'000'000;

// The limit is --starve-grants passes beyond one per distinct rival: with 5 and two rivals (T1
// and T3), the seventh pass reports.
TEST(StarvationDetector, WaiterPassedOverTooOftenIsReported) {
  collect out;
  starvation_detector det(out, {.grants = 5});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(2, op::lock_blocked, m));
  for (int i = 0; i < 5; ++i) det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(3, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty()) << "six passes by two rivals is under 5 + 2";
  det.on_event(ev(1, op::lock_acquired, m));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::starvation);
  EXPECT_EQ(f.thread, 2u);
  EXPECT_NE(f.message.find("passed over 7 times by 2 rival(s)"), std::string::npos) << f.message;
  ASSERT_EQ(f.notes.size(), 3u) << "who held it when the wait began, then T1 and T3";
  EXPECT_EQ(f.notes[0].thread, 1u);
  EXPECT_NE(f.notes[0].text.find("before the wait began"), std::string::npos);
  EXPECT_EQ(f.notes[1].thread, 1u);
  EXPECT_NE(f.notes[1].text.find("6 times"), std::string::npos);
  EXPECT_EQ(f.notes[2].thread, 3u);
  EXPECT_EQ(f.waits.at(0).holder, 1u);
}

// Many contenders, each served once: a waiter behind 51 of them waited its turn in a fair order.
// The fixed limit of 50 used to call that starvation (and hid a real finding behind it).
TEST(StarvationDetector, ManyThreadsEachServedOnceIsNoStarvation) {
  collect out;
  starvation_detector det(out, {.grants = 50});
  det.begin_execution(false);
  trace_builder ev;
  det.on_event(ev(0, op::lock_acquired, m));
  det.on_event(ev(1, op::lock_blocked, m));
  for (std::uint32_t t = 2; t < 53; ++t) det.on_event(ev(t, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty()) << "51 passes by 51 rivals";
  // The buggy twin: two rivals overtaking again and again.
  collect twin_out;
  starvation_detector twin(twin_out, {.grants = 50});
  twin.begin_execution(false);
  twin.on_event(ev(1, op::lock_blocked, m));
  for (int i = 0; i < 52; ++i) twin.on_event(ev(2 + i % 2, op::lock_acquired, m));
  ASSERT_EQ(twin_out.found.size(), 1u);
  EXPECT_EQ(twin_out.found[0].kind, verdict::starvation);
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
  // One rival: the threshold is grants + 1 = 4 times passed over, however often T2 re-blocks.
  for (int i = 0; i < 3; ++i) {
    det.on_event(ev(2, op::lock_blocked, m));  // woken, beaten to it, blocks again
    det.on_event(ev(1, op::lock_acquired, m));
  }
  EXPECT_TRUE(out.found.empty());
  det.on_event(ev(2, op::lock_blocked, m));
  det.on_event(ev(1, op::lock_acquired, m));
  EXPECT_EQ(out.found.size(), 1u);
}

TEST(StarvationDetector, WaitingTooLongWhileAnotherHoldsItIsReported) {
  collect out;
  starvation_detector det(out, {.grants = 50, .wait_ns = 100 * ms});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(2, op::sem_blocked, other));  // another resource, another want
  det.on_event(ev(3, op::lock_blocked, m));
  ev.time = 99 * ms;
  det.on_event(ev(3, op::lock_blocked, m));  // woken, beaten to it again
  EXPECT_TRUE(out.found.empty()) << "99 ms is under the limit";
  ev.time = 150 * ms;
  det.on_event(ev(3, op::lock_acquired, m));  // in at last, 150 ms later
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.thread, 3u);
  EXPECT_NE(f.message.find("150.000 ms"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("while others held it"), std::string::npos) << f.message;
  ASSERT_FALSE(f.notes.empty());
  EXPECT_EQ(f.notes[0].thread, 1u) << "T1 held it when the wait began";
}

TEST(StarvationDetector, ALockMayCarryItsOwnLowerTimeLimit) {
  collect out;
  starvation_detector det(out, {.grants = 50, .wait_ns = 100 * ms});
  det.begin_execution(false);
  // The GIL registers with its switch interval as its own limit.
  det.on_object(m, {.kind = object_kind::mutex, .wait_limit_ns = 5 * ms});
  det.on_object(other, {.kind = object_kind::mutex});
  trace_builder ev;
  det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(2, op::lock_blocked, m));
  ev.time = 4 * ms;
  det.on_event(ev(3, op::lock_blocked, other));  // an ordinary lock: the 100 ms default applies
  EXPECT_TRUE(out.found.empty());
  ev.time = 6 * ms;
  det.on_event(ev(2, op::lock_acquired, m));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].thread, 2u);
  EXPECT_NE(out.found[0].message.find("the limit for this wait is 5.000 ms"), std::string::npos)
      << out.found[0].message;
}

TEST(StarvationDetector, AnObjectsOwnLimitLastsOneExecution) {
  collect out;
  starvation_detector det(out, {.grants = 50, .wait_ns = 100 * ms});
  det.begin_execution(false);
  det.on_object(m, {.kind = object_kind::mutex, .wait_limit_ns = 5 * ms});
  det.begin_execution(false);  // the next execution: object m is someone else now
  trace_builder ev;
  det.on_event(ev(1, op::lock_acquired, m));
  det.on_event(ev(2, op::lock_blocked, m));
  ev.time = 6 * ms;
  det.on_event(ev(2, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty()) << "the 100 ms default applies: " << out.found[0].message;
}

TEST(StarvationDetector, ShortWaitsInVirtualTimeStayQuiet) {
  collect out;
  starvation_detector det(out, {.grants = 50, .wait_ns = 100 * ms});
  det.begin_execution(false);
  trace_builder ev;
  for (int i = 0; i < 20; ++i) {
    det.on_event(ev(2, op::lock_blocked, m));
    ev.time += 60 * ms;
    det.on_event(ev(2, op::lock_acquired, m));
    det.on_event(ev(1, op::lock_blocked, m));
    ev.time += 60 * ms;
    det.on_event(ev(1, op::lock_acquired, m));
  }
  EXPECT_TRUE(out.found.empty()) << "every wait is 60 ms";
}

TEST(StarvationDetector, SpinningOnTryLockWantsTheLock) {
  collect out;
  starvation_detector det(out, {.grants = 4, .wait_ns = 0});
  det.begin_execution(true);
  trace_builder ev;
  for (int i = 0; i < 5; ++i) {  // 5 passes by one rival: 4 beyond its first
    det.on_event(ev(2, op::try_lock_failed, m));  // while (!m.try_lock()) yield();
    det.on_event(ev(1, op::lock_acquired, m));
  }
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].thread, 2u);
  EXPECT_NE(out.found[0].message.find("spinning on try_lock"), std::string::npos) << out.found[0].message;
}

TEST(StarvationDetector, SpinnerThatGivesUpNoLongerWants) {
  collect out;
  starvation_detector det(out, {.grants = 4, .wait_ns = 0});
  det.begin_execution(false);
  trace_builder ev;
  det.on_event(ev(2, op::try_lock_failed, m));
  det.on_event(ev(2, op::lock_acquired, other));  // went on to other work
  for (int i = 0; i < 10; ++i) det.on_event(ev(1, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty());
  det.on_event(ev(3, op::try_lock_failed, m));
  det.on_event(ev(3, op::thread_finish));
  for (int i = 0; i < 10; ++i) det.on_event(ev(1, op::lock_acquired, m));
  EXPECT_TRUE(out.found.empty()) << "a finished thread wants nothing";
}

// The fib server on one worker: a short request queued behind a long one.
TEST(StarvationDetector, TaskStuckBehindALongTaskIsReported) {
  constexpr object_id pool = 5, long_task = 6, short_task = 7;
  collect out;
  starvation_detector det(out, {});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(2, op::task_queued, pool, long_task));
  det.on_event(ev(1, op::task_started, pool, long_task));
  det.on_event(ev(3, op::task_queued, pool, short_task));
  ev.time = 2000 * ms;  // the long request computes for 2 s
  det.on_event(ev(1, op::task_done, pool, long_task));
  EXPECT_TRUE(out.found.empty());
  det.on_event(ev(1, op::task_started, pool, short_task));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.thread, 3u) << "the submitter stands for its task";
  EXPECT_NE(f.message.find("a task submitted by T3 has waited 2000.000 ms"), std::string::npos) << f.message;
  ASSERT_EQ(f.waits.size(), 1u);
  EXPECT_EQ(f.waits[0].what, wait_info::on::task);
  EXPECT_EQ(f.waits[0].object, pool);
  EXPECT_TRUE(f.waits[0].queued);
  EXPECT_EQ(f.waits[0].holder, 1u) << "the worker running the long task when the short one was queued";
}

TEST(StarvationDetector, TasksServedPromptlyStayQuiet) {
  constexpr object_id short_pool = 5, long_pool = 6;
  collect out;
  starvation_detector det(out, {});
  det.begin_execution(false);
  trace_builder ev;
  det.on_event(ev(2, op::task_queued, long_pool, 10));
  det.on_event(ev(1, op::task_started, long_pool, 10));
  for (object_id k = 20; k < 30; ++k) {
    det.on_event(ev(3, op::task_queued, short_pool, k));
    det.on_event(ev(4, op::task_started, short_pool, k));
    ev.time += 50'000;  // 50 us each
    det.on_event(ev(4, op::task_done, short_pool, k));
  }
  ev.time = 2000 * ms;
  det.on_event(ev(1, op::task_done, long_pool, 10));
  EXPECT_TRUE(out.found.empty());
}

// A batch drained in queue order passes nobody over, however long the queue.
TEST(StarvationDetector, FifoBatchPassesNobodyOver) {
  collect out;
  starvation_detector det(out, {.grants = 5, .wait_ns = 0});
  det.begin_execution(true);
  trace_builder ev;
  constexpr object_id pool = 5;
  for (object_id k = 10; k < 40; ++k) det.on_event(ev(0, op::task_queued, pool, k));
  for (object_id k = 10; k < 40; ++k) {
    det.on_event(ev(1, op::task_started, pool, k));
    det.on_event(ev(1, op::task_done, pool, k));
  }
  EXPECT_TRUE(out.found.empty());
}

// Tasks taken ahead of an older one pass it over (a LIFO or priority queue).
TEST(StarvationDetector, TasksTakenAheadPassOverTheOlderOne) {
  collect out;
  starvation_detector det(out, {.grants = 5, .wait_ns = 0});
  det.begin_execution(true);
  trace_builder ev;
  constexpr object_id pool = 5;
  for (object_id k = 10; k < 20; ++k) det.on_event(ev(0, op::task_queued, pool, k));
  for (object_id k = 19; k > 10; --k) {  // newest first
    det.on_event(ev(1, op::task_started, pool, k));
    det.on_event(ev(1, op::task_done, pool, k));
  }
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::starvation);
  ASSERT_EQ(out.found[0].waits.size(), 1u);
  EXPECT_EQ(out.found[0].waits[0].what, wait_info::on::task);
}

TEST(StarvationDetector, ZeroLimitsTurnItOff) {
  collect out;
  starvation_detector det(out, {.grants = 0, .wait_ns = 0});
  det.begin_execution(true);
  trace_builder ev;
  det.on_event(ev(2, op::lock_blocked, m));
  for (int i = 0; i < 100; ++i) {
    ev.time += 100 * ms;
    det.on_event(ev(1, op::lock_acquired, m));
  }
  EXPECT_TRUE(out.found.empty());
}

// Brute force over random traces of blocks and acquisitions with a moving clock. For each event
// i and each thread w, w's want just before i is its latest block not ended by its own
// acquisition of that object (a block on another object replaces it). The detector must report
// at the first event where a want - still on after i, or ended by w's own acquisition at i -
// has been passed over `grants` times plus once per distinct rival, or has waited `wait` of
// virtual time.
TEST(StarvationOracle, FirstReportMatchesBruteForce) {
  std::mt19937 rng(3);
  int by_grants = 0, by_time = 0, quiet = 0;
  for (int round = 0; round < 4000; ++round) {
    constexpr std::uint64_t grants = 2, wait = 50 * ms;
    collect out;
    starvation_detector det(out, {.grants = grants, .wait_ns = wait});
    det.begin_execution(false);
    trace_builder ev;
    std::vector<event> es;
    for (int k = 0; k < 30; ++k) {
      auto t = static_cast<thread_id>(rng() % 4);
      auto o = static_cast<object_id>(rng() % 2);
      if (rng() % 4 == 0) ev.time += (rng() % 3) * 10 * ms;
      es.push_back(ev(t, rng() % 3 == 0 ? op::lock_blocked : op::lock_acquired, o));
    }
    int want_step = -1;
    bool want_time = false;
    for (std::size_t i = 0; i < es.size() && want_step < 0; ++i) {
      for (std::uint32_t w = 0; w < 4 && want_step < 0; ++w) {
        std::size_t since = es.size();  // w's want before event i
        for (std::size_t j = 0; j < i; ++j) {
          if (es[j].thread != w) continue;
          if (es[j].kind == op::lock_blocked && (since == es.size() || es[since].object != es[j].object)) since = j;
          if (es[j].kind == op::lock_acquired && since != es.size() && es[since].object == es[j].object) since = es.size();
        }
        if (since == es.size()) continue;
        const event& s = es[since];
        bool own_end = es[i].thread == w && es[i].kind == op::lock_acquired && es[i].object == s.object;
        bool replaced = es[i].thread == w && es[i].kind == op::lock_blocked && es[i].object != s.object;
        if (replaced) continue;
        std::uint64_t n = 0;
        std::set<std::uint32_t> rivals;
        for (std::size_t j = since + 1; j <= i; ++j)
          if (es[j].kind == op::lock_acquired && es[j].object == s.object && es[j].thread != w) {
            ++n;
            rivals.insert(es[j].thread);
          }
        bool time_met = es[i].time - s.time >= wait;
        bool grants_met = n >= grants + rivals.size();
        if (grants_met || time_met) {
          want_step = static_cast<int>(es[i].step);
          want_time = !grants_met;
        }
        (void)own_end;  // an own acquisition ends the want after this check, like any other event
      }
    }
    for (const auto& e : es) det.on_event(e);
    if (want_step < 0) {
      EXPECT_TRUE(out.found.empty()) << "round " << round;
      ++quiet;
    } else {
      ASSERT_EQ(out.found.size(), 1u) << "round " << round;
      EXPECT_EQ(static_cast<int>(out.found[0].step), want_step) << "round " << round;
      ++(want_time ? by_time : by_grants);
    }
  }
  EXPECT_GT(by_grants, 200);
  EXPECT_GT(by_time, 200);
  EXPECT_GT(quiet, 200);
}

}  // namespace starvation_test
}  // namespace lab
