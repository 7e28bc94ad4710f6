#include "harness/sync/semaphore.h"

#include <gtest/gtest.h>

#include "harness/gtest/model.h"

namespace lab {
namespace semaphore_test {

TEST(CountingSemaphore, BoundsConcurrency) {
  model([] {
    lab::counting_semaphore<2> slots{2, "slots"};
    int inside = 0;
    auto worker = [&] {
      slots.acquire();
      lab::assert_that(++inside <= 2, "at most two inside");
      lab::this_thread::yield();
      --inside;
      slots.release();
    };
    lab::thread a(worker), b(worker), c(worker);
    a.join();
    b.join();
    c.join();
  }, {.strategy = "pct", .schedules = 2000});
}

TEST(CountingSemaphore, ReleaseHappensBeforeAcquire) {
  model([] {
    lab::binary_semaphore done{0};
    lab::shared<int> result{0, "result"};
    lab::thread t([&] {
      result = 42;
      done.release();
    });
    done.acquire();
    lab::assert_that(result == 42);
    t.join();
  }, {.schedules = 500});
}

TEST(CountingSemaphore, WaitingForAPermitThatNeverComesIsADeadlock) {
  auto r = expect_verdict(verdict::deadlock, [] {
    lab::binary_semaphore never{0, "never"};
    lab::thread t([&] { never.acquire(); });
    t.join();
  }, {.schedules = 5});
  ASSERT_EQ(r.findings.size(), 1u);
  bool on_semaphore = false;
  for (const auto& w : r.findings[0].waits) on_semaphore |= w.what == wait_info::on::semaphore;
  EXPECT_TRUE(on_semaphore);
}

TEST(CountingSemaphore, TryAcquire) {
  model([] {
    lab::counting_semaphore<1> s{1};
    lab::assert_that(s.try_acquire(), "one permit");
    lab::assert_that(!s.try_acquire(), "none left");
    s.release();
  }, {.schedules = 1});
}

TEST(CountingSemaphore, NativeBackend) {
  lab::binary_semaphore s{0};
  lab::thread t([&] { s.release(); });
  s.acquire();
  t.join();
}

}  // namespace semaphore_test
}  // namespace lab
