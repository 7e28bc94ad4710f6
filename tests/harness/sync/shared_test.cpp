#include "harness/sync/shared.h"

#include <gtest/gtest.h>

#include "harness/gtest/model.h"

namespace lab {
namespace shared_test {

TEST(Shared, UnsynchronisedWriteAndReadRace) {
  auto r = expect_verdict(verdict::data_race, [] {
    lab::shared<int> x{0, "x"};
    lab::thread t([&] { x = 1; });
    (void)x.load();
    t.join();
  }, {.schedules = 50});
  ASSERT_EQ(r.findings.size(), 1u);
  const auto& acc = r.findings[0].accesses;
  ASSERT_EQ(acc.size(), 2u);
  EXPECT_NE(acc[0].write, acc[1].write) << "one read, one write";
  EXPECT_EQ(r.objects[acc[0].object].name, "x");
}

TEST(Shared, ConcurrentReadsAreFine) {
  model([] {
    lab::shared<int> x{5};
    lab::thread a([&] { lab::assert_that(x == 5); });
    lab::thread b([&] { lab::assert_that(x == 5); });
    a.join();
    b.join();
  }, {.schedules = 300});
}

TEST(Shared, OperatorsRecordTheCallersLine) {
  auto r = expect_verdict(verdict::data_race, [] {
    lab::shared<int> x{0};
    lab::thread t([&] { x += 1; });
    x = x + 2;
    t.join();
  }, {.schedules = 50});
  for (const auto& a : r.findings.at(0).accesses) EXPECT_STREQ(a.loc.file_name(), "tests/harness/sync/shared_test.cpp");
}

TEST(Shared, ComparisonsRead) {
  model([] {
    lab::shared<int> x{3};
    lab::assert_that(x == 3 && x < 4 && x >= 3 && !(x > 3));
    x -= 1;
    lab::assert_that(x.load() == 2);
  }, {.schedules = 1});
}

TEST(Shared, NativeBackendIsAPlainVariable) {
  lab::shared<int> x{1};
  x = x + 1;
  EXPECT_EQ(x.load(), 2);
  EXPECT_EQ(x.unsafe_get(), 2);
}

}  // namespace shared_test
}  // namespace lab
