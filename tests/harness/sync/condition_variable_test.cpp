#include "harness/sync/condition_variable.h"

#include <gtest/gtest.h>

#include "harness/gtest/model.h"

namespace lab {
namespace condition_variable_test {

TEST(ConditionVariable, HandOffWithPredicateIsClean) {
  for (const char* s : {"random", "pct"})
    model([] {
      lab::mutex m;
      lab::condition_variable cv;
      bool ready = false;
      int value = 0;
      lab::thread producer([&] {
        lab::lock_guard g(m);
        value = 42;
        ready = true;
        cv.notify_one();
      });
      lab::unique_lock lk(m);
      cv.wait(lk, [&] { return ready; });
      lab::assert_that(value == 42);
      lk.unlock();
      producer.join();
    }, {.strategy = s, .schedules = 3000});
}

TEST(ConditionVariable, NotifyBeforeWaitWithoutPredicateIsALostWakeup) {
  auto r = expect_verdict(verdict::lost_wakeup, [] {
    lab::mutex m;
    lab::condition_variable cv{"cv"};
    lab::thread notifier([&] { cv.notify_one(); });
    notifier.join();  // the notify is certainly over before the wait
    lab::unique_lock lk(m);
    cv.wait(lk);
  }, {.schedules = 200, .spurious = 0.0});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].notes.size(), 1u);
}

// A correct predicate loop whose predicate never becomes true: the same verdict, deadlock, under
// every schedule and strategy - never lost_wakeup, whether the notify comes before the wait or
// after it.
TEST(ConditionVariable, APredicateThatNeverHoldsIsADeadlockWhateverTheOrder) {
  for (const char* strategy : {"random", "pct"})
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      auto r = explore("t", [] {
        lab::mutex m;
        lab::condition_variable cv{"cv"};
        lab::shared<bool> ready{false, "ready"};
        lab::thread notifier([&] { cv.notify_one(); });  // forgets to set ready
        {
          lab::unique_lock lk(m);
          cv.wait(lk, [&] { return ready.load(); });
        }
        notifier.join();
      }, {.strategy = strategy, .schedules = 50, .seed = seed, .spurious = 0.0});
      EXPECT_EQ(r.result, verdict::deadlock) << strategy << " seed " << seed << ": " << r.findings.at(0).message;
    }
}

// The same with a hand-written loop and a plain wait.
TEST(ConditionVariable, AHandWrittenPredicateLoopIsADeadlockToo) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    auto r = explore("t", [] {
      lab::mutex m;
      lab::condition_variable cv{"cv"};
      lab::shared<bool> ready{false, "ready"};
      lab::thread notifier([&] { cv.notify_one(); });
      {
        lab::unique_lock lk(m);
        while (!(ready == true)) cv.wait(lk);
      }
      notifier.join();
    }, {.schedules = 50, .seed = seed, .spurious = 0.0});
    EXPECT_EQ(r.result, verdict::deadlock) << "seed " << seed << ": " << r.findings.at(0).message;
  }
}

// A predicate does not save a notifier that changes the state without the lock: the waiter can
// check (false), the notifier set the flag and notify in the gap before the wait, and the
// notification is lost - a real bug, found.
TEST(ConditionVariable, SettingTheFlagWithoutTheLockLosesTheWakeupEvenWithAPredicate) {
  auto r = expect_verdict(verdict::lost_wakeup, [] {
    lab::mutex m;
    lab::condition_variable cv{"cv"};
    lab::atomic<bool> ready{false, "ready"};
    lab::thread notifier([&] {
      ready.store(true);  // not under m
      cv.notify_one();
    });
    {
      lab::unique_lock lk(m);
      cv.wait(lk, [&] { return ready.load(); });
    }
    notifier.join();
  }, {.schedules = 2000, .spurious = 0.0});
  ASSERT_EQ(r.findings.size(), 1u);
}

TEST(ConditionVariable, SpuriousWakeupsAreExplored) {
  // Without a predicate loop, a spurious wake-up returns with nothing to consume.
  auto r = expect_verdict(verdict::assertion_failed, [] {
    lab::mutex m;
    lab::condition_variable cv;
    bool ready = false;
    lab::thread waiter([&] {
      lab::unique_lock lk(m);
      if (!ready) cv.wait(lk);
      lab::assert_that(ready, "woken only after ready was set");
    });
    {
      lab::lock_guard g(m);
      ready = true;
    }
    cv.notify_one();
    waiter.join();
  }, {.schedules = 2000, .spurious = 0.2});
  EXPECT_TRUE(r.reproduced);
}

TEST(ConditionVariable, NotifyAllWakesEveryone) {
  model([] {
    lab::mutex m;
    lab::condition_variable cv;
    bool go = false;
    int woke = 0;
    auto waiter = [&] {
      lab::unique_lock lk(m);
      cv.wait(lk, [&] { return go; });
      ++woke;
    };
    lab::thread a(waiter), b(waiter), c(waiter);
    {
      lab::lock_guard g(m);
      go = true;
    }
    cv.notify_all();
    a.join();
    b.join();
    c.join();
    lab::assert_that(woke == 3);
  }, {.schedules = 2000});
}

TEST(ConditionVariable, NativeBackendWorks) {
  lab::mutex m;
  lab::condition_variable cv;
  bool ready = false;
  lab::thread t([&] {
    lab::lock_guard g(m);
    ready = true;
    cv.notify_one();
  });
  lab::unique_lock lk(m);
  cv.wait(lk, [&] { return ready; });
  lk.unlock();
  t.join();
  EXPECT_TRUE(ready);
}

}  // namespace condition_variable_test
}  // namespace lab

namespace lab {
namespace condition_variable_test {

using namespace std::chrono_literals;

TEST(ConditionVariable, WaitForTimesOutInVirtualTime) {
  lab::model([] {
    lab::mutex m;
    lab::condition_variable cv;
    lab::unique_lock lk(m);
    bool ready = cv.wait_for(lk, 40ms, [] { return false; });  // nobody will notify
    lab::assert_that(!ready, "timed out");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(40ms), "after exactly 40 ms of virtual time");
  }, {.schedules = 20, .spurious = 0.5});
}

TEST(ConditionVariable, WaitForWokenBeforeTheDeadline) {
  lab::model([] {
    lab::mutex m;
    lab::condition_variable cv;
    bool flag = false;
    lab::thread t([&] {
      lab::this_thread::sleep_for(10ms);
      lab::lock_guard g(m);
      flag = true;
      cv.notify_one();
    });
    {
      lab::unique_lock lk(m);
      bool ready = cv.wait_for(lk, 1s, [&] { return flag; });
      lab::assert_that(ready, "notified in time");
      lab::assert_that(lab::now() == std::chrono::nanoseconds(10ms), "woken at 10 ms, not at the deadline");
    }
    t.join();
  }, {.schedules = 50});
}

}  // namespace condition_variable_test
}  // namespace lab
