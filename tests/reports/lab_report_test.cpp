#include "reports/lab_report.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/lab.h"
#include "harness/explore/explorer.h"
#include "scenarios/catalog.h"

namespace lab {
namespace lab_report_test {

run_report first_finding(const char* name) {
  return explore(name, find_scenario(name)->body, {.schedules = 300});
}

std::vector<const reports::timeline_event*> keys(const reports::timeline& t) {
  std::vector<const reports::timeline_event*> out;
  for (const auto& e : t.events)
    if (e.key) out.push_back(&e);
  return out;
}

TEST(Timeline, ARaceHighlightsExactlyItsTwoAccesses) {
  run_report r = first_finding("lost_update/broken");
  auto t = reports::build_timeline(r);
  EXPECT_EQ(t.lanes.size(), r.threads.size());
  auto k = keys(t);
  ASSERT_EQ(k.size(), 2u);
  const auto& f = r.findings.front();
  for (const auto* e : k) {
    EXPECT_EQ(e->category, "access");
    bool named = false;
    for (const auto& a : f.accesses) named |= a.thread == e->thread && a.step == e->step;
    EXPECT_TRUE(named) << e->label;
  }
}

TEST(Timeline, ADeadlockHighlightsTheWaitsOfTheCycleAndTheyNeverEnd) {
  run_report r = first_finding("lock_order_inversion/broken");
  auto t = reports::build_timeline(r);
  std::size_t key_waits = 0;
  for (const auto& w : t.waits) {
    EXPECT_TRUE(w.open) << w.what;
    key_waits += w.key ? 1 : 0;
  }
  EXPECT_EQ(key_waits, 2u);
  ASSERT_EQ(t.holds.size(), 2u);
  for (const auto& h : t.holds) EXPECT_TRUE(h.open) << "each thread still holds its first lock";
}

TEST(Timeline, HoldsPairLocksWithUnlocksAndCountRecursion) {
  run_report r = explore("holds", [] {
    lab::recursive_mutex m{"m"};
    lab::thread t([&] {
      m.lock();
      m.lock();
      m.unlock();
      m.unlock();
      lab::assert_that(false, "made to fail");
    });
    t.join();
  }, {.schedules = 1});
  ASSERT_EQ(r.result, verdict::assertion_failed);
  auto t = reports::build_timeline(r);
  ASSERT_EQ(t.holds.size(), 1u) << "one hold, from the first lock to the last unlock";
  EXPECT_FALSE(t.holds[0].open);
  EXPECT_EQ(r.history[t.holds[0].begin].kind, op::lock_acquired);
  EXPECT_EQ(r.history[t.holds[0].end].kind, op::unlock);
  EXPECT_LT(t.holds[0].begin, t.holds[0].end);
  auto k = keys(t);
  ASSERT_FALSE(k.empty());
  EXPECT_EQ(k.back()->op, "assert");
}

TEST(Timeline, EventsAfterTheFindingAreMarked) {
  run_report r = first_finding("writer_starvation/broken");  // starvation runs to the end
  ASSERT_LT(r.history_at_finding, r.history.size());
  auto t = reports::build_timeline(r);
  ASSERT_FALSE(t.events.empty());
  EXPECT_FALSE(t.events.front().after_finding);
  EXPECT_TRUE(t.events.back().after_finding);
}

TEST(Timeline, ACleanRunHasOneEmptyLane) {
  run_report r = first_finding("lost_update/fixed");
  auto t = reports::build_timeline(r);
  EXPECT_EQ(t.lanes.size(), 1u);
  EXPECT_TRUE(t.events.empty());
}

TEST(CellText, SaysWhatTheDetectorDid) {
  EXPECT_EQ(reports::cell_text({.detector = "tsan", .tries = 1, .first = 1, .verdict = "data_race", .source = "tsan",
                                .title = "data race", .where = "a.cpp:3"}),
            "run 1: data race (tsan) at a.cpp:3");
  EXPECT_EQ(reports::cell_text({.detector = "sim-pct", .tries = 300}), "not found in 300 executions");
  EXPECT_EQ(reports::cell_text({.detector = "drd", .ran = false, .why_not = "valgrind is not installed"}),
            "not run: valgrind is not installed");
}

}  // namespace lab_report_test
}  // namespace lab
