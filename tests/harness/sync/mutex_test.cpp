#include "harness/sync/mutex.h"

#include <gtest/gtest.h>

#include "harness/gtest/model.h"

namespace lab {
namespace mutex_test {

TEST(Mutex, MutualExclusion) {
  model([] {
    lab::mutex m;
    int inside = 0;  // plain int: the lab does not watch it, the assertion does
    auto body = [&] {
      for (int i = 0; i < 2; ++i) {
        lab::lock_guard g(m);
        lab::assert_that(++inside == 1, "one thread at a time");
        lab::this_thread::yield();
        --inside;
      }
    };
    lab::thread a(body), b(body), c(body);
    a.join();
    b.join();
    c.join();
  }, {.strategy = "pct", .schedules = 2000});
}

TEST(Mutex, TryLockFailsWhileHeld) {
  model([] {
    lab::mutex m;
    lab::unique_lock g(m);
    lab::thread t([&] { lab::assert_that(!m.try_lock(), "held by T0"); });
    t.join();
    g.unlock();
    lab::assert_that(m.try_lock(), "free now");
    m.unlock();
  }, {.schedules = 200});
}

TEST(Mutex, RelockingANonRecursiveMutexDeadlocksItsOwner) {
  auto r = expect_verdict(verdict::deadlock, [] {
    lab::mutex m{"m"};
    lab::lock_guard g(m);
    m.lock();
  }, {.schedules = 1});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_TRUE(r.findings[0].cycle);
  EXPECT_EQ(r.findings[0].waits.size(), 1u);
}

TEST(RecursiveMutex, OwnerMayRelock) {
  model([] {
    lab::recursive_mutex m;
    lab::thread t([&] {
      lab::lock_guard a(m);
      lab::lock_guard b(m);
    });
    { lab::lock_guard a(m); }
    t.join();
  }, {.schedules = 200});
}

TEST(Mutex, UnlockByNonOwnerIsMisuse) {
  expect_verdict(verdict::mutex_misuse, [] {
    lab::mutex m;
    m.lock();
    lab::thread t([&] { m.unlock(); });
    t.join();
  }, {.schedules = 10});
}

TEST(Mutex, DestroyingALockedMutexIsMisuse) {
  expect_verdict(verdict::mutex_misuse, [] {
    auto* m = new lab::mutex;
    m->lock();
    delete m;
  }, {.schedules = 1});
}

TEST(ScopedLock, OppositeOrdersNeverDeadlock) {
  model([] {
    lab::mutex a, b;
    lab::shared<int> x{0};
    lab::thread t1([&] { lab::scoped_lock both(a, b); x = x + 1; });
    lab::thread t2([&] { lab::scoped_lock both(b, a); x = x + 1; });
    t1.join();
    t2.join();
    lab::assert_that(x == 2);
  }, {.strategy = "pct", .schedules = 3000});
}

TEST(LockGuard, RecordsTheDeclaringLine) {
  auto r = expect_verdict(verdict::deadlock, [] {
    lab::mutex m;
    lab::lock_guard g(m);  // the line under test
    lab::lock_guard h(m);
  }, {.schedules = 1});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_STREQ(r.findings[0].waits[0].loc.file_name(), "tests/harness/sync/mutex_test.cpp");
  EXPECT_EQ(r.findings[0].waits[0].held_at.line() + 1, r.findings[0].waits[0].loc.line());
}

TEST(Mutex, NativeBackendIsAStdMutex) {
  lab::mutex m;
  int n = 0;
  lab::thread a([&] { for (int i = 0; i < 10000; ++i) { lab::lock_guard g(m); ++n; } });
  lab::thread b([&] { for (int i = 0; i < 10000; ++i) { lab::lock_guard g(m); ++n; } });
  a.join();
  b.join();
  EXPECT_EQ(n, 20000);
}

}  // namespace mutex_test
}  // namespace lab
