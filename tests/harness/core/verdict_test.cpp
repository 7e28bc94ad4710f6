#include "harness/core/verdict.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lab {
namespace verdict_test {

TEST(Verdict, EveryVerdictRoundTripsThroughItsName) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(verdict::step_limit); ++i) {
    auto v = static_cast<verdict>(i);
    auto name = std::string(to_string(v));
    EXPECT_NE(name, "?");
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    EXPECT_EQ(parse_verdict(name), v);
  }
  EXPECT_EQ(names.size(), 18u);
}

TEST(Verdict, NamesAreSnakeCase) {
  EXPECT_EQ(to_string(verdict::data_race), "data_race");
  EXPECT_EQ(to_string(verdict::lock_order_inversion), "lock_order_inversion");
  EXPECT_EQ(to_string(verdict::task_exception_lost), "task_exception_lost");
}

TEST(Verdict, UnknownNameDoesNotParse) {
  EXPECT_FALSE(parse_verdict("race"));
  EXPECT_FALSE(parse_verdict(""));
  EXPECT_FALSE(parse_verdict("Data_Race"));
}

TEST(Verdict, OnlyLockOrderInversionAndOrphansArePotential) {
  for (int i = 0; i <= static_cast<int>(verdict::step_limit); ++i) {
    auto v = static_cast<verdict>(i);
    EXPECT_EQ(is_potential(v), v == verdict::lock_order_inversion || v == verdict::task_orphaned) << to_string(v);
  }
}

TEST(Verdict, OnlyTimeFindingsRunToTheEnd) {
  for (int i = 0; i <= static_cast<int>(verdict::step_limit); ++i) {
    auto v = static_cast<verdict>(i);
    EXPECT_EQ(runs_to_end(v), v == verdict::starvation || v == verdict::loop_stall || v == verdict::slowdown)
        << to_string(v);
  }
}

}  // namespace verdict_test
}  // namespace lab
