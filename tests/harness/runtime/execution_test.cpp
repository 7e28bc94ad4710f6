// The runtime through its public face: lab primitives explored by lab::model.
#include "harness/runtime/execution.h"

#include <gtest/gtest.h>

#include <bit>
#include <stdexcept>
#include <vector>

#include "harness/scheduler/strategy.h"

#include "harness/gtest/model.h"

namespace lab {
namespace execution_test {

TEST(Execution, OutsideAnExecutionThereIsNone) { EXPECT_EQ(rt::execution::current(), nullptr); }

TEST(Execution, BodyRunsAsThreadZero) {
  int runs = 0;
  auto r = model([&] {
    ++runs;
    ASSERT_NE(rt::execution::current(), nullptr);
    EXPECT_EQ(rt::execution::current()->self(), 0u);
  }, {.schedules = 5});
  EXPECT_EQ(runs, 5);
  EXPECT_EQ(r.stats.executions, 5u);
}

TEST(Execution, ThreadsGetIdsInSpawnOrderAndAllRun) {
  model([] {
    int done = 0;
    lab::thread a([&] { EXPECT_EQ(rt::execution::current()->self(), 1u); ++done; });
    lab::thread b([&] { EXPECT_EQ(rt::execution::current()->self(), 2u); ++done; });
    EXPECT_EQ(a.sim_id(), 1u);
    EXPECT_EQ(b.sim_id(), 2u);
    a.join();
    b.join();
    EXPECT_EQ(done, 2);
  }, {.schedules = 50});
}

TEST(Execution, InterleavingsActuallyVary) {
  std::set<std::string> orders;
  model([&] {
    std::string order;
    lab::atomic<int> go{0};
    lab::thread a([&] { go.fetch_add(1); order += 'a'; go.fetch_add(1); order += 'a'; });
    lab::thread b([&] { go.fetch_add(1); order += 'b'; go.fetch_add(1); order += 'b'; });
    a.join();
    b.join();
    orders.insert(order);
  }, {.schedules = 300});
  EXPECT_GE(orders.size(), 4u) << "random exploration should see several orders of aabb";
}

// Plain accesses are steps, not scheduling points (execution.h, access_point): a spin loop on a
// plain flag would then never let the writer run. The spin guard makes its hundredth read a
// scheduling point; the writer runs, and what gets reported is the race on the flag - not a
// hang, not the step limit.
TEST(Execution, ASpinOnAPlainFlagEndsInItsRace) {
  auto r = expect_verdict(verdict::data_race, [] {
    lab::shared<bool> ready{false, "ready"};
    lab::thread writer([&] { ready = true; });
    while (!(ready == true)) {
    }
    writer.join();
  }, {.schedules = 50});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].accesses.size(), 2u);
}

// The other side of the same rule: a switch between two plain accesses adds nothing for a
// race-free program, and the race of a racy one is found in every execution (happens-before does
// not depend on the schedule). Every one of 200 executions of an unguarded increment finds it.
TEST(Execution, ARaceIsFoundWhateverTheSchedule) {
  int racy = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto r = explore("t", [] {
      lab::shared<int> x{0, "x"};
      lab::thread a([&] { x = x + 1; });
      lab::thread b([&] { x = x + 1; });
      a.join();
      b.join();
    }, {.schedules = 1, .seed = seed});
    racy += r.result == verdict::data_race;
  }
  EXPECT_EQ(racy, 200);
}

// What the strategy sees (scheduler/strategy.h, choice_point): for every runnable thread, the
// operation it stopped in front of and its object - registered before the point, so two
// threads about to lock the same mutex show the same object.
struct watching_strategy final : strategy {
  std::vector<std::vector<pending_op>> seen;  // per choice: the runnable threads' pending ops
  std::string_view name() const override { return "watching"; }
  bool begin_execution(std::uint64_t index) override { return index == 0; }
  pick next_thread(const choice_point& p) override {
    auto& v = seen.emplace_back();
    p.runnable.for_each([&](thread_id t) { v.push_back(p.next[t]); });
    // A thread that has not started goes first (so every thread reaches its first point), else
    // the highest id.
    thread_id fresh = no_thread;
    p.runnable.for_each([&](thread_id t) {
      if (fresh == no_thread && p.next[t].kind == op::thread_start) fresh = t;
    });
    if (fresh != no_thread) return pick_thread(p.runnable, fresh);
    return pick_rank(p.runnable, member_count(p.runnable) - 1);
  }
  std::uint64_t next_value(std::uint64_t, choice_kind) override { return 0; }
};

TEST(Execution, TheStrategySeesWhatEachRunnableThreadIsAboutToDo) {
  rt::execution ex;
  watching_strategy w;
  w.begin_execution(0);
  ex.run(
      [](void*) {
        lab::mutex m{"m"};
        lab::atomic<int> a{0, "a"};
        lab::thread t1([&] { lab::lock_guard g(m); });
        lab::thread t2([&] { a.fetch_add(1); lab::lock_guard g(m); });
        t1.join();
        t2.join();
      },
      nullptr, w, {});
  ASSERT_FALSE(w.seen.empty());
  bool both_lock_m = false, saw_rmw = false, saw_start = false;
  for (const auto& choice : w.seen) {
    int locks = 0;
    object_id lock_object = no_object;
    for (const pending_op& p : choice) {
      saw_start |= p.kind == op::thread_start;
      saw_rmw |= p.kind == op::atomic_rmw && p.object != no_object;
      if (p.kind == op::lock_acquired) {
        EXPECT_NE(p.object, no_object) << "the mutex is registered before its scheduling point";
        if (locks++ == 0) lock_object = p.object;
        else both_lock_m |= p.object == lock_object;
      }
    }
  }
  EXPECT_TRUE(saw_start) << "a thread not yet run is about to start";
  EXPECT_TRUE(saw_rmw);
  EXPECT_TRUE(both_lock_m) << "T1 and T2 in front of the same mutex";
}

struct counted {
  static inline int alive = 0;
  counted() { ++alive; }
  ~counted() { --alive; }
};

TEST(Execution, AbortUnwindsEveryFiberAndRunsDestructors) {
  counted::alive = 0;
  auto r = expect_verdict(verdict::deadlock, [] {
    counted in_main;
    lab::mutex a, b;
    lab::thread t1([&] { counted c; lab::lock_guard x(a); lab::lock_guard y(b); });
    lab::thread t2([&] { counted c; lab::lock_guard y(b); lab::lock_guard x(a); });
    t1.join();
    t2.join();
  }, {.schedules = 2000});
  EXPECT_EQ(counted::alive, 0) << "every local of every fiber was destroyed";
}

// Starvation is about time: its execution runs on so that measurements are complete, and a
// fatal finding after it still ends the execution (its verdict stays the first finding).
TEST(Execution, StarvationRunsToTheEndAndAStallStillEndsIt) {
  auto r = expect_verdict(verdict::starvation, [] {
    lab::mutex m;
    lab::thread holder([&] {
      lab::lock_guard g(m);
      lab::this_thread::work(std::chrono::seconds(1));
    });
    lab::thread waiter([&] {
      lab::this_thread::yield();
      lab::lock_guard g(m);
      lab::record_latency("after", lab::now());
    });
    holder.join();
    waiter.join();
    lab::mutex never;
    lab::thread stuck([&] { never.lock(); never.lock(); });  // relock: a stall after the finding
    stuck.join();
  }, {.strategy = "pct", .schedules = 50});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, verdict::starvation);
  ASSERT_EQ(r.measurements.size(), 1u) << "the waiter recorded after the finding";
  EXPECT_EQ(r.measurements[0].count, 1u);
  EXPECT_GE(r.measurements[0].p50_ns, 1'000'000'000u);
  EXPECT_EQ(r.measured_executions, 1u);
}

TEST(Execution, StepLimitIsItsOwnVerdict) {
  auto r = expect_verdict(verdict::step_limit, [] {
    lab::atomic<bool> flag{false};
    while (!flag.load()) lab::this_thread::yield();  // nobody ever sets it
  }, {.schedules = 3, .max_steps = 500});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].message.find("500"), std::string::npos);
}

TEST(Execution, ExceptionEscapingAThreadIsReported) {
  auto r = expect_verdict(verdict::uncaught_exception, [] {
    lab::thread t([] { throw std::runtime_error("boom"); });
    t.join();
  }, {.schedules = 3});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].message.find("std::runtime_error"), std::string::npos) << r.findings[0].message;
  EXPECT_NE(r.findings[0].message.find("boom"), std::string::npos);
  EXPECT_EQ(r.findings[0].thread, 1u);
}

TEST(Execution, VirtualTimeOrdersSleepers) {
  model([] {
    std::string order;
    lab::thread slow([&] { lab::this_thread::sleep_for(std::chrono::milliseconds(10)); order += 's'; });
    lab::thread fast([&] { lab::this_thread::sleep_for(std::chrono::milliseconds(5)); order += 'f'; });
    slow.join();
    fast.join();
    EXPECT_EQ(order, "fs");
    EXPECT_EQ(rt::execution::current()->now(), 10'000'000u) << "virtual time jumps to the last wake-up";
  }, {.schedules = 200});
}

TEST(Execution, ManyThreadsUpToTheLimit) {
  model([] {
    lab::atomic<int> n{0};
    std::vector<lab::thread> ts;
    for (int i = 0; i < 40; ++i) ts.emplace_back([&] { n.fetch_add(1); });
    for (auto& t : ts) t.join();
    lab::assert_that(n.load() == 40);
  }, {.schedules = 20});
}

TEST(Execution, TooManyThreadsIsACrashNotAnOverflow) {
  expect_verdict(verdict::crash, [] {
    std::vector<lab::thread> ts;
    for (std::uint32_t i = 0; i < max_threads + 5; ++i) ts.emplace_back([] {});
    for (auto& t : ts) t.join();
  }, {.schedules = 1});
}

}  // namespace execution_test
}  // namespace lab
