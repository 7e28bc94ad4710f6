#include "harness/sync/thread.h"

#include <gtest/gtest.h>

#include "harness/gtest/model.h"

namespace lab {
namespace thread_test {

TEST(Thread, JoinPublishesTheChildsWrites) {
  model([] {
    lab::shared<int> x{0};
    lab::thread t([&] { x = 7; });
    t.join();
    lab::assert_that(x == 7);
  }, {.schedules = 300});
}

TEST(Thread, SpawnPublishesTheParentsWrites) {
  model([] {
    lab::shared<int> x{0};
    x = 5;
    lab::thread t([&] { lab::assert_that(x == 5); });
    t.join();
  }, {.schedules = 300});
}

TEST(Thread, DestroyingAJoinableThreadIsACrash) {
  auto r = expect_verdict(verdict::crash, [] { lab::thread t([] {}); }, {.schedules = 5});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].message.find("std::terminate"), std::string::npos);
}

TEST(Thread, JoinOfANonJoinableThreadThrowsLikeStd) {
  auto r = expect_verdict(verdict::uncaught_exception, [] {
    lab::thread t([] {});
    t.join();
    t.join();
  }, {.schedules = 2});
  EXPECT_NE(r.findings[0].message.find("system_error"), std::string::npos) << r.findings[0].message;
}

TEST(Thread, MovedFromThreadIsNotJoinable) {
  model([] {
    lab::thread a([] {});
    lab::thread b = std::move(a);
    EXPECT_FALSE(a.joinable());
    EXPECT_TRUE(b.joinable());
    b.join();
  }, {.schedules = 5});
}

TEST(Thread, NativeExceptionIsRecordedNotFatal) {
  detail::native_take_findings();
  lab::thread t([] { throw std::logic_error("native boom"); });
  t.join();
  auto found = detail::native_take_findings();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, verdict::uncaught_exception);
  EXPECT_NE(found[0].message.find("native boom"), std::string::npos);
}

TEST(AssertThat, NativeFailureIsRecorded) {
  detail::native_take_findings();
  lab::assert_that(1 + 1 == 3, "arithmetic");
  auto found = detail::native_take_findings();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, verdict::assertion_failed);
  EXPECT_EQ(found[0].message, "assertion failed: arithmetic");
  EXPECT_STREQ(found[0].loc.file_name(), "tests/harness/sync/thread_test.cpp");
}

}  // namespace thread_test
}  // namespace lab

namespace lab {
namespace thread_test {

using namespace std::chrono_literals;

TEST(Work, AdvancesVirtualTimeAndThreadsComputeInParallel) {
  model([] {
    lab::thread a([] { lab::this_thread::work(30ms); });
    lab::thread b([] { lab::this_thread::work(20ms); });
    a.join();
    b.join();
    // One CPU per thread in this model: the two computations overlap.
    lab::assert_that(lab::now() == 30ms, "finished at 30 ms, not 50");
  }, {.schedules = 100});
}

TEST(Work, LatencyIsDeterministicVirtualTime) {
  model([] {
    auto start = lab::now();
    lab::this_thread::work(5ms);
    lab::this_thread::sleep_for(2ms);
    lab::assert_that(lab::now() - start == 7ms);
  }, {.schedules = 3});
}

TEST(Work, NativeBackendReallySpins) {
  auto start = std::chrono::steady_clock::now();
  lab::this_thread::work(3ms);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 3ms);
}

}  // namespace thread_test
}  // namespace lab

namespace lab {
namespace thread_test {

using namespace std::chrono_literals;

TEST(ExpectWithin, OverBudgetIsASlowdownAndTheExecutionRunsOn) {
  bool ran_on = false;
  auto r = explore("budget", [&] {
    ran_on = false;
    auto start = lab::now();
    lab::this_thread::work(30ms);
    lab::expect_within("job", lab::now() - start, 20ms);
    ran_on = true;
  }, {.schedules = 3});
  EXPECT_EQ(r.result, verdict::slowdown);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].message, "'job' took 30.000 ms, over its budget of 20.000 ms (1.5x)");
  EXPECT_TRUE(ran_on) << "a slowdown does not cut the execution short";
}

TEST(ExpectWithin, WithinBudgetIsCleanAndMeasured) {
  auto r = explore("budget", [] {
    auto start = lab::now();
    lab::this_thread::work(20ms);
    lab::expect_within("job", lab::now() - start, 20ms);
  }, {.schedules = 3});
  EXPECT_EQ(r.result, verdict::clean);
  ASSERT_EQ(r.measurements.size(), 1u);
  EXPECT_EQ(r.measurements[0].name, "job");
}

TEST(ExpectWithin, NativeRecordsTheSampleOnly) {
  detail::native_take_findings();
  detail::native_take_samples();
  lab::expect_within("native job", 5ms, 1ms);
  EXPECT_TRUE(detail::native_take_findings().empty()) << "real time is not checked against the budget";
  auto samples = detail::native_take_samples().summaries();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].name, "native job");
}

}  // namespace thread_test
}  // namespace lab
