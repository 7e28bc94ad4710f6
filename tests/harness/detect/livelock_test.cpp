#include "harness/detect/livelock.h"

#include <gtest/gtest.h>

#include "harness/gtest/model.h"
#include "tests/support/collect.h"

namespace lab {
namespace livelock_test {

using test::collect;
using test::trace_builder;

TEST(LivelockDetector, YieldingWithoutProgressIsReported) {
  collect out;
  livelock_detector det(out, 10);
  det.begin_execution(true);
  trace_builder ev;
  for (int i = 0; i < 5; ++i) {
    det.on_event(ev(1, op::yield));
    det.on_event(ev(2, op::yield));
  }
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::livelock);
  EXPECT_EQ(out.found[0].notes.size(), 2u) << "both threads named";
}

TEST(LivelockDetector, ProgressResetsTheWindow) {
  collect out;
  livelock_detector det(out, 10);
  det.begin_execution(true);
  trace_builder ev;
  for (int i = 0; i < 50; ++i) {
    det.on_event(ev(1, op::yield));
    if (i % 4 == 0) det.on_event(ev(2, op::write, 0));  // the other thread gets on with it
  }
  EXPECT_TRUE(out.found.empty());
}

TEST(LivelockDetector, ZeroWindowTurnsItOff) {
  collect out;
  livelock_detector det(out, 0);
  det.begin_execution(true);
  trace_builder ev;
  for (int i = 0; i < 100; ++i) det.on_event(ev(1, op::yield));
  EXPECT_TRUE(out.found.empty());
}

// The classic: two threads each hold one lock, try the other, back off politely, retry - in
// lock-step, for ever. PCT (a yielding thread drops to the lowest priority) plays that
// lock-step exactly; random breaks the symmetry almost at once.
TEST(Livelock, PoliteBackOffIsALivelock) {
  auto r = expect_verdict(verdict::livelock, [] {
    lab::mutex a{"a"}, b{"b"};
    auto polite = [](lab::mutex& mine, lab::mutex& other) {
      for (;;) {
        lab::lock_guard hold(mine);
        if (other.try_lock()) {
          other.unlock();
          return;
        }
        lab::this_thread::yield();  // "after you"
      }
    };
    lab::atomic<int> go{0};
    lab::thread t1([&] { go.fetch_add(1); while (go.load() < 2) lab::this_thread::yield(); polite(a, b); });
    lab::thread t2([&] { go.fetch_add(1); while (go.load() < 2) lab::this_thread::yield(); polite(b, a); });
    t1.join();
    t2.join();
  }, {.strategy = "pct", .schedules = 2000, .max_steps = 100000, .livelock_steps = 300});
  EXPECT_GE(r.findings.at(0).notes.size(), 1u);
}

// A correct ticket lock whose waiters yield: under dpor's fair yields (CHESS) the holder runs
// while the waiters take turns, so the search ends and verifies it - no livelock (dpor reported
// one at a 100,000 budget when a yield left out only the yielder, not the holder's turn).
void ticket_lock(bool waiters_yield) {
  lab::atomic<int> next{0}, serving{0};
  lab::shared<int> x{0, "x"};
  auto worker = [&] {
    const int mine = next.fetch_add(1, std::memory_order_relaxed);
    while (serving.load(std::memory_order_acquire) != mine)
      if (waiters_yield) lab::this_thread::yield();
    x = x + 1;
    serving.store(mine + 1, std::memory_order_release);
  };
  lab::thread a(worker), b(worker), c(worker);
  a.join();
  b.join();
  c.join();
  lab::assert_that(x.load() == 3, "x == 3");
}

TEST(Livelock, AYieldingTicketLockVerifiesUnderDpor) {
  auto r = explore("ticket_lock", [] { ticket_lock(true); }, {.strategy = "dpor", .schedules = 100000});
  EXPECT_EQ(r.result, verdict::clean) << r.note;
  EXPECT_TRUE(r.stats.exhaustive) << r.note;
  EXPECT_EQ(r.note.rfind("verified: ", 0), 0u) << r.note;
  EXPECT_NE(r.note.find("assuming fair yields"), std::string::npos) << r.note;
}

TEST(Livelock, ATicketLockWhoseWaitersNeverYieldIsNoProof) {
  // Its twin spins without yielding: a schedule that never runs the holder again is unbounded,
  // so dpor cannot finish and must not say verified (the step limit cuts those executions).
  auto r = explore("ticket_lock_busy", [] { ticket_lock(false); },
                   {.strategy = "dpor", .schedules = 300, .max_steps = 1000});
  EXPECT_EQ(r.result, verdict::clean) << r.note;
  EXPECT_FALSE(r.stats.exhaustive) << r.note;
  EXPECT_EQ(r.note.rfind("sampled: ", 0), 0u) << r.note;
}

TEST(Livelock, SpinningWhileAnotherThreadWorksIsNot) {
  model([] {
    lab::atomic<int> done{0};
    lab::thread worker([&] {
      for (int i = 0; i < 30; ++i) done.fetch_add(1);
    });
    while (done.load() < 30) lab::this_thread::yield();
    worker.join();
  }, {.strategy = "pct", .schedules = 500, .livelock_steps = 200});
}

TEST(Livelock, SpinWaitingOnASleeperEndsBecauseSpinningLetsTimePass) {
  model([] {
    using namespace std::chrono_literals;
    lab::atomic<bool> ready{false};
    lab::thread sleeper([&] {
      lab::this_thread::sleep_for(5ms);
      ready.store(true);
    });
    while (!ready.load()) lab::this_thread::yield();
    sleeper.join();
  }, {.schedules = 200});
}

}  // namespace livelock_test
}  // namespace lab

namespace lab {
namespace livelock_test {

TEST(Livelock, SpinningWhileAnotherThreadComputesIsNot) {
  model([] {
    using namespace std::chrono_literals;
    lab::atomic<bool> done{false};
    lab::thread worker([&] {
      lab::this_thread::work(200ms);  // 20,000 spin rounds of 10 us: far past the window
      done.store(true);
    });
    while (!done.load()) lab::this_thread::yield();
    worker.join();
  }, {.schedules = 20, .max_steps = 100000});
}

}  // namespace livelock_test
}  // namespace lab
