#include "harness/sync/gil.h"

#include <gtest/gtest.h>

#include "harness/gtest/model.h"

namespace lab {
namespace gil_test {

using namespace std::chrono_literals;

TEST(Gil, OneThreadRunsAtFullSpeedAndIsNotStarved) {
  lab::model([] {
    lab::gil g;
    lab::thread t([&] {
      g.acquire();
      g.compute(50ms);
      g.release();
    });
    t.join();
    lab::assert_that(lab::now() == std::chrono::nanoseconds(50ms), "50 ms of CPU in 50 ms");
  }, {.schedules = 20});
}

TEST(Gil, TwoComputingThreadsTakeTurnsAndStarveEachOther) {
  auto r = expect_verdict(verdict::starvation, [] {
    lab::gil g;
    auto py = [&] {
      g.acquire();
      g.compute(50ms);
      g.release();
      lab::assert_that(lab::now() >= std::chrono::nanoseconds(50ms));
    };
    lab::thread a(py), b(py);
    a.join();
    b.join();
    lab::record_latency("elapsed", lab::now());
  }, {.schedules = 20});
  ASSERT_EQ(r.measurements.size(), 1u);
  EXPECT_EQ(r.measurements[0].p50_ns, 100'000'000u) << "no parallelism: 2 x 50 ms";
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].message.find("the limit for this wait is 5.000 ms"), std::string::npos)
      << r.findings[0].message;
}

TEST(Gil, BlockingIoReleasesIt) {
  lab::model([] {
    lab::gil g;
    auto io = [&] {
      g.acquire();
      g.blocking_io(40ms);  // both sleep at once: the GIL is free meanwhile
      g.release();
    };
    lab::thread a(io), b(io);
    a.join();
    b.join();
    lab::assert_that(lab::now() == std::chrono::nanoseconds(40ms), "the two waits overlap");
  }, {.schedules = 50});
}

TEST(Gil, NativeBackend) {
  lab::gil g(1ms);
  int turns = 0;
  auto py = [&] {
    g.acquire();
    g.compute(3ms);
    ++turns;  // under the GIL: no race
    g.release();
  };
  lab::thread a(py), b(py);
  a.join();
  b.join();
  EXPECT_EQ(turns, 2);
}

}  // namespace gil_test
}  // namespace lab
