#include "harness/scheduler/pb.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "harness/lab.h"
#include "harness/runtime/execution.h"
#include "harness/scheduler/dpor.h"

namespace lab {
namespace pb_test {

struct explored {
  std::set<std::string> schedules;  ///< every execution's choices, printed
  std::uint64_t executions = 0, most_preemptions = 0;
  bool failed = false;  ///< some execution ended in a finding
};

std::string key(const schedule& s) { return fmt::format("{}:{}", s.bit_count(), fmt::join(s.bytes(), ",")); }

/// Runs `body` under `s` (counting its preemptions) until it is exhausted or `limit`
/// executions; keeps the schedules with at most `keep` preemptions.
explored run_all(strategy& s, const std::function<void()>& body, std::uint64_t keep, std::uint64_t limit = 200000) {
  rt::execution ex;
  preemption_counter counted(s);
  explored r;
  auto call = [](void* f) { (*static_cast<const std::function<void()>*>(f))(); };
  for (std::uint64_t i = 0; i < limit && counted.begin_execution(i); ++i) {
    ex.run(call, const_cast<std::function<void()>*>(&body), counted, {.max_steps = 5000, .record_choices = true});
    ++r.executions;
    if (ex.outcome().definite) r.failed = true;
    r.most_preemptions = std::max(r.most_preemptions, counted.count());
    if (counted.count() <= keep) r.schedules.insert(key(ex.choices()));
  }
  return r;
}

/// Two threads each making `ops` atomic increments; T0 spawns both and joins them.
std::function<void()> counters(int ops, bool assert_sum) {
  return [ops, assert_sum] {
    lab::atomic<int> x{0};
    auto work = [&] {
      for (int i = 0; i < ops; ++i) x.store(x.load() + 1);
    };
    lab::thread a(work), b(work);
    a.join();
    b.join();
    if (assert_sum) lab::assert_that(x.load() == 2 * ops, "no increment lost");
  };
}

TEST(Pb, ExploresExactlyTheSchedulesWithinTheBound) {
  // The oracle: every schedule of the unreduced tree, filtered by its preemption count.
  for (int ops : {1, 2, 3}) {
    auto body = counters(ops, false);
    for (std::uint64_t bound : {0u, 1u, 2u, 3u}) {
      dfs_strategy brute(200000, false);
      explored expected = run_all(brute, body, bound);
      ASSERT_TRUE(brute.exhausted());
      pb_strategy pb(200000, bound, false);
      explored got = run_all(pb, body, ~std::uint64_t{0});
      EXPECT_TRUE(pb.exhausted());
      EXPECT_LE(got.most_preemptions, bound) << ops << " ops, bound " << bound;
      EXPECT_EQ(got.executions, got.schedules.size()) << "no schedule twice";
      EXPECT_EQ(got.schedules, expected.schedules) << ops << " ops, bound " << bound;
    }
  }
}

TEST(Pb, PrunedSaysWhetherTheBoundLeftAnythingOut) {
  auto body = counters(1, false);
  pb_strategy tight(1000, 0, false);
  run_all(tight, body, 100);
  EXPECT_TRUE(tight.exhausted());
  EXPECT_TRUE(tight.pruned());
  EXPECT_EQ(tight.complete_bound(), 0);
  pb_strategy loose(1000, 50, false);
  explored all = run_all(loose, body, 100);
  EXPECT_TRUE(loose.exhausted());
  EXPECT_FALSE(loose.pruned());
  dfs_strategy brute(1000, false);
  EXPECT_EQ(all.executions, run_all(brute, body, 100).executions) << "with room to spare, pb is the whole tree";
}

TEST(Pb, ALostIncrementNeedsOnePreemption) {
  auto body = counters(1, true);
  pb_strategy none(1000, 0, false);
  EXPECT_FALSE(run_all(none, body, 100).failed) << "without a preemption each increment runs whole";
  pb_strategy one(1000, 1, false);
  EXPECT_TRUE(run_all(one, body, 100).failed);
}

TEST(Pb, AYielderIsNotChosenAgainWhileAnotherCanRun) {
  // A spin loop on a flag: without the fairness rule bound 0 would spin until the step limit.
  auto body = [] {
    lab::atomic<bool> go{false};
    lab::thread waiter([&] {
      while (!go.load()) lab::this_thread::yield();
    });
    lab::thread setter([&] { go.store(true); });
    waiter.join();
    setter.join();
  };
  pb_strategy pb(1000, 0, false);
  explored r = run_all(pb, body, 100);
  EXPECT_TRUE(pb.exhausted());
  EXPECT_FALSE(r.failed) << "no execution ran into the step limit";
}

TEST(Ipb, RaisesTheBoundUntilTheSpaceEnds) {
  auto body = counters(1, false);
  ipb_strategy ipb(100000, false);
  explored r = run_all(ipb, body, ~std::uint64_t{0});
  EXPECT_TRUE(ipb.exhausted());
  EXPECT_FALSE(ipb.pruned());
  EXPECT_EQ(ipb.complete_bound(), static_cast<std::int64_t>(ipb.bound()));
  dfs_strategy brute(100000, false);
  EXPECT_EQ(r.schedules, run_all(brute, body, ~std::uint64_t{0}).schedules) << "every schedule, at some bound";
}

TEST(Ipb, StopsAtTheBudgetWithTheBoundsItCompleted) {
  auto body = counters(3, false);
  pb_strategy zero(100000, 0, false);
  const std::uint64_t at_zero = run_all(zero, body, 100).executions;
  ipb_strategy ipb(at_zero + 1, false);
  run_all(ipb, body, 100);
  EXPECT_FALSE(ipb.exhausted());
  EXPECT_TRUE(ipb.pruned());
  EXPECT_EQ(ipb.bound(), 1u);
  EXPECT_EQ(ipb.complete_bound(), 0);
}

TEST(PreemptionCounter, CountsSwitchesAwayFromAThreadThatCouldGoOn) {
  thread_set runnable = 0b11;
  const choice_point going_on{runnable, thread_id{0}, false, 0, nullptr};
  EXPECT_FALSE(preempts(going_on, thread_id{0}));
  EXPECT_TRUE(preempts(going_on, thread_id{1}));
  const choice_point yielded{runnable, thread_id{0}, true, 0, nullptr};
  EXPECT_FALSE(preempts(yielded, thread_id{1})) << "a yield is a free switch";
  thread_set only_one = 0b10;
  const choice_point blocked{only_one, thread_id{0}, false, 0, nullptr};
  EXPECT_FALSE(preempts(blocked, thread_id{1})) << "T0 blocked or finished: a free switch";
}

}  // namespace pb_test
}  // namespace lab
