#include "harness/explore/minimise.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/explore/explorer.h"
#include "harness/lab.h"

namespace lab {
namespace minimise_test {

// An increment lost between a load and a store: one preemption (between them) shows it, none
// cannot, whatever the strategy that found it first.
void lost_increment() {
  lab::atomic<int> x{0};
  auto work = [&] { x.store(x.load() + 1); };
  lab::thread a(work), b(work);
  a.join();
  b.join();
  lab::assert_that(x.load() == 2, "no increment lost");
}

// Lock order inversion that deadlocks: T1 must be preempted between its two locks.
void abba() {
  lab::mutex m1, m2;
  lab::thread a([&] {
    lab::lock_guard g1(m1);
    lab::lock_guard g2(m2);
  });
  lab::thread b([&] {
    lab::lock_guard g2(m2);
    lab::lock_guard g1(m1);
  });
  a.join();
  b.join();
}

// Two threads writing a plain variable unordered: the race detector sees it with no preemption.
void racy() {
  lab::shared<int> x{0, "x"};
  lab::thread a([&] { x = 1; });
  lab::thread b([&] { x = 2; });
  a.join();
  b.join();
}

TEST(Minimise, EveryStrategysFindingComesDownToOnePreemption) {
  for (std::string s : {"random", "pct", "dpor", "dfs", "ipb"}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      run_report r = explore("lost_increment", lost_increment, {.strategy = s, .schedules = 5000, .seed = seed});
      ASSERT_EQ(r.result, verdict::assertion_failed) << s;
      EXPECT_TRUE(r.reproduced);
      EXPECT_EQ(r.preemptions, 1u) << s << " seed " << seed;
      EXPECT_TRUE(r.minimal) << s;
      EXPECT_EQ(r.minimisation.rfind("minimal: 1 preemption (no execution with fewer shows it)", 0), 0u)
          << r.minimisation;
      // The replay token is the minimised execution's.
      std::string error;
      auto token = decode_token(r.replay, error);
      ASSERT_TRUE(token) << error;
      run_report again = replay(*token, lost_increment, {});
      EXPECT_TRUE(again.reproduced);
      EXPECT_EQ(again.result, verdict::assertion_failed);
      EXPECT_EQ(again.preemptions, 1u);
      EXPECT_EQ(again.steps, r.steps);
    }
  }
}

TEST(Minimise, ADeadlockNeedsOnePreemptionARaceNone) {
  run_report d = explore("abba", abba, {.schedules = 5000, .seed = 7});
  ASSERT_EQ(d.result, verdict::deadlock);
  EXPECT_EQ(d.preemptions, 1u);
  EXPECT_TRUE(d.minimal);
  run_report r = explore("racy", racy, {.schedules = 100});
  ASSERT_EQ(r.result, verdict::data_race);
  EXPECT_EQ(r.preemptions, 0u);
  EXPECT_TRUE(r.minimal);
  EXPECT_EQ(r.minimisation.rfind("minimal: 0 preemptions", 0), 0u) << r.minimisation;
}

TEST(Minimise, CountsThePreemptionsOfAGivenSchedule) {
  run_report r = explore("lost_increment", lost_increment, {.strategy = "pb", .preemptions = 1});
  ASSERT_EQ(r.result, verdict::assertion_failed);
  std::string error;
  auto token = decode_token(r.replay, error);
  ASSERT_TRUE(token) << error;
  options opts;
  worker w(opts, false);
  EXPECT_EQ(count_preemptions(w, lost_increment, opts, token->choices), 1u);
}

TEST(Minimise, FairnessVerdictsAreNotMinimised) {
  EXPECT_FALSE(minimisable(verdict::starvation));
  EXPECT_FALSE(minimisable(verdict::livelock));
  EXPECT_FALSE(minimisable(verdict::step_limit));
  EXPECT_TRUE(minimisable(verdict::deadlock));
  EXPECT_TRUE(minimisable(verdict::data_race));
}

TEST(BoundedSearch, PbSaysWhatItsBoundCovered) {
  run_report none = explore("lost_increment", lost_increment, {.strategy = "pb", .preemptions = 0});
  EXPECT_EQ(none.result, verdict::clean);
  EXPECT_FALSE(none.stats.exhaustive) << "the bound left schedules out: not verified";
  EXPECT_EQ(none.note.rfind("bounded: no finding in any of the", 0), 0u) << none.note;
  EXPECT_NE(none.note.find("with at most 0 preemptions"), std::string::npos) << none.note;
  run_report roomy = explore("racefree", [] {
    lab::atomic<int> x{0};
    lab::thread a([&] { x.fetch_add(1); });
    a.join();
  }, {.strategy = "ipb"});
  EXPECT_EQ(roomy.result, verdict::clean);
  EXPECT_TRUE(roomy.stats.exhaustive) << roomy.note;
  EXPECT_EQ(roomy.note.rfind("verified:", 0), 0u) << roomy.note;
}

TEST(TimeBudget, EndsTheSearchAndSaysItWasASample) {
  run_report r = explore("lost_increment", [] {
    lab::mutex m;
    lab::shared<int> x{0};
    auto work = [&] {
      for (int i = 0; i < 3; ++i) {
        lab::lock_guard g(m);
        x = x + 1;
      }
    };
    lab::thread a(work), b(work), c(work);
    a.join();
    b.join();
    c.join();
  }, {.strategy = "dfs", .schedules = 1000000000, .time_budget = 0.05});
  EXPECT_EQ(r.result, verdict::clean);
  EXPECT_FALSE(r.stats.exhaustive);
  EXPECT_GT(r.stats.executions, 0u);
  EXPECT_LT(r.stats.executions, 1000000000u);
  EXPECT_NE(r.note.find("the time budget of 0.05 s ended before the exploration did"), std::string::npos) << r.note;
}

}  // namespace minimise_test
}  // namespace lab
