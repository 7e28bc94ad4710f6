// A user's own test suite, built against the installed conlab: a correct program is clean, a
// racy one is found.
#include <harness/gtest/model.h>

TEST(Consumer, TheLockedCounterIsClean) {
  auto r = lab::model([] {
    lab::shared<int> n{0, "n"};
    lab::mutex m;
    lab::thread a([&] { lab::lock_guard g(m); n = n + 1; });
    lab::thread b([&] { lab::lock_guard g(m); n = n + 1; });
    a.join();
    b.join();
    lab::assert_that(n == 2, "n == 2");
  }, {.schedules = 200});
  EXPECT_EQ(r.stats.executions, 200u);
}

TEST(Consumer, TheUnlockedCounterRaces) {
  lab::expect_verdict(lab::verdict::data_race, [] {
    lab::shared<int> n{0, "n"};
    lab::thread a([&] { n = n + 1; });
    lab::thread b([&] { n = n + 1; });
    a.join();
    b.join();
  });
}
