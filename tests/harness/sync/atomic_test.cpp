#include "harness/sync/atomic.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "harness/gtest/model.h"

namespace lab {
namespace atomic_test {

TEST(Atomic, FetchAddNeverLosesAnIncrement) {
  model([] {
    lab::atomic<int> n{0};
    auto inc = [&] { n.fetch_add(1); };
    lab::thread a(inc), b(inc), c(inc);
    a.join();
    b.join();
    c.join();
    lab::assert_that(n.load() == 3);
  }, {.strategy = "pct", .schedules = 2000});
}

TEST(Atomic, LoadThenStoreLosesUpdates) {
  // Atomic accesses never race, but the read-modify-write split in two still loses updates.
  expect_verdict(verdict::assertion_failed, [] {
    lab::atomic<int> n{0};
    auto inc = [&] { n.store(n.load() + 1); };
    lab::thread a(inc), b(inc);
    a.join();
    b.join();
    lab::assert_that(n.load() == 2, "both increments counted");
  }, {.schedules = 2000});
}

TEST(Atomic, CompareExchangeLoop) {
  model([] {
    lab::atomic<int> n{0};
    auto inc = [&] {
      int cur = n.load();
      while (!n.compare_exchange_weak(cur, cur + 1)) {
      }
    };
    lab::thread a(inc), b(inc);
    a.join();
    b.join();
    lab::assert_that(n.load() == 2);
  }, {.schedules = 2000});
}

TEST(Atomic, FlagPublishesPlainData) {
  model([] {
    lab::shared<int> data{0, "data"};
    lab::atomic<bool> ready{false, "ready"};
    lab::thread producer([&] {
      data = 42;
      ready.store(true);
    });
    while (!ready.load()) lab::this_thread::yield();
    lab::assert_that(data == 42);
    producer.join();
  }, {.strategy = "pct", .schedules = 2000});
}

TEST(Atomic, ExchangeReturnsThePreviousValue) {
  model([] {
    lab::atomic<int> v{3};
    lab::assert_that(v.exchange(4) == 3);
    lab::assert_that(v.fetch_sub(1) == 4);
    lab::assert_that(v.load() == 3);
  }, {.schedules = 1});
}

TEST(Atomic, NativeBackendIsAStdAtomic) {
  lab::atomic<int> n{0};
  lab::thread a([&] { for (int i = 0; i < 10000; ++i) n.fetch_add(1); });
  for (int i = 0; i < 10000; ++i) n.fetch_add(1);
  a.join();
  EXPECT_EQ(n.load(), 20000);
}

// Message passing: a payload published through a flag. The happens-before of the C++ model
// (--memory-model rc11, the default): only a release store read by an acquire load orders the
// payload; with a relaxed flag the payload's accesses race, as ThreadSanitizer reports them.
void message_passing(std::memory_order store, std::memory_order load) {
  lab::shared<int> payload{0, "payload"};
  lab::atomic<bool> ready{false, "ready"};
  lab::thread producer([&] {
    payload = 42;
    ready.store(true, store);
  });
  lab::thread consumer([&] {
    if (ready.load(load)) lab::assert_that(payload == 42, "the payload is there");
  });
  producer.join();
  consumer.join();
}

TEST(Atomic, ARelaxedFlagPublishesNothing) {
  auto r = expect_verdict(verdict::data_race, [] { message_passing(std::memory_order_relaxed, std::memory_order_relaxed); },
                          {.strategy = "dpor"});
  EXPECT_NE(r.note.find("explored under C++'s memory model (RC11)"), std::string::npos) << r.note;
  expect_verdict(verdict::data_race, [] { message_passing(std::memory_order_release, std::memory_order_relaxed); },
                 {.strategy = "dpor"});
  expect_verdict(verdict::data_race, [] { message_passing(std::memory_order_relaxed, std::memory_order_acquire); },
                 {.strategy = "dpor"});
}

TEST(Atomic, ReleaseAcquirePublishesThePayload) {
  auto r = model([] { message_passing(std::memory_order_release, std::memory_order_acquire); }, {.strategy = "dpor"});
  EXPECT_TRUE(r.stats.exhaustive) << r.note;
  model([] { message_passing(std::memory_order_seq_cst, std::memory_order_seq_cst); }, {.strategy = "dpor"});
}

TEST(Atomic, TheScModelCountsEveryOrderAsSeqCst) {
  auto r = model([] { message_passing(std::memory_order_relaxed, std::memory_order_relaxed); },
                 {.strategy = "dpor", .memory_model = "sc"});
  EXPECT_NE(r.note.find("were run as seq_cst (--memory-model sc)"), std::string::npos) << r.note;
}

TEST(Atomic, FencesAroundARelaxedFlagPublishThePayload) {
  auto fenced = [](bool producer_fence, bool consumer_fence) {
    lab::shared<int> payload{0, "payload"};
    lab::atomic<bool> ready{false, "ready"};
    lab::thread producer([&] {
      payload = 42;
      if (producer_fence) lab::atomic_thread_fence(std::memory_order_release);
      ready.store(true, std::memory_order_relaxed);
    });
    lab::thread consumer([&] {
      if (ready.load(std::memory_order_relaxed)) {
        if (consumer_fence) lab::atomic_thread_fence(std::memory_order_acquire);
        lab::assert_that(payload == 42, "the payload is there");
      }
    });
    producer.join();
    consumer.join();
  };
  auto r = model([&] { fenced(true, true); }, {.strategy = "dpor"});
  EXPECT_TRUE(r.stats.exhaustive) << r.note;
  expect_verdict(verdict::data_race, [&] { fenced(true, false); }, {.strategy = "dpor"});
  expect_verdict(verdict::data_race, [&] { fenced(false, true); }, {.strategy = "dpor"});
}

// A signal fence orders a thread only with its own signal handlers: between threads, nothing.
TEST(Atomic, SignalFencesPublishNothingBetweenThreads) {
  expect_verdict(verdict::data_race, [] {
    lab::shared<int> payload{0, "payload"};
    lab::atomic<bool> ready{false, "ready"};
    lab::thread producer([&] {
      payload = 42;
      lab::atomic_signal_fence(std::memory_order_seq_cst);
      ready.store(true, std::memory_order_relaxed);
    });
    lab::thread consumer([&] {
      if (ready.load(std::memory_order_relaxed)) {
        lab::atomic_signal_fence(std::memory_order_seq_cst);
        (void)(payload == 42);
      }
    });
    producer.join();
    consumer.join();
  }, {.strategy = "dpor"});
}

}  // namespace atomic_test
}  // namespace lab
