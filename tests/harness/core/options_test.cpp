#include "harness/core/options.h"

#include <gtest/gtest.h>

namespace lab {
namespace options_test {

TEST(Options, DefaultsAreTheTablesDefaults) {
  options o;
  EXPECT_EQ(o.strategy, "random");
  EXPECT_EQ(o.schedules, 1000u);
  EXPECT_EQ(o.seed, 1u);
  EXPECT_EQ(o.depth, 3u);
  EXPECT_DOUBLE_EQ(o.timeout, 10.0);
}

TEST(Options, ParsesEveryType) {
  options o;
  EXPECT_FALSE(set_option(o, "strategy", "pct"));
  EXPECT_FALSE(set_option(o, "schedules", "12345"));
  EXPECT_FALSE(set_option(o, "max-steps", "77"));  // dashes and underscores both name it
  EXPECT_FALSE(set_option(o, "timeout", "2.5"));
  EXPECT_EQ(o.strategy, "pct");
  EXPECT_EQ(o.schedules, 12345u);
  EXPECT_EQ(o.max_steps, 77u);
  EXPECT_DOUBLE_EQ(o.timeout, 2.5);
}

TEST(Options, RejectsBadValuesWithOneLine) {
  options o;
  for (auto [flag, value] : {std::pair{"schedules", "-1"}, {"schedules", "12x"}, {"schedules", ""},
                             {"timeout", "nan"}, {"timeout", "-2"}}) {
    auto err = set_option(o, flag, value);
    ASSERT_TRUE(err) << flag << "=" << value;
    EXPECT_EQ(err->find('\n'), std::string::npos);
    EXPECT_NE(err->find(flag), std::string::npos) << *err;
  }
  EXPECT_EQ(o.schedules, 1000u) << "a rejected value leaves the option unchanged";
}

TEST(Options, UnknownFlag) {
  options o;
  auto err = set_option(o, "colour", "red");
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "unknown option --colour");
  EXPECT_FALSE(is_option("colour"));
  EXPECT_TRUE(is_option("max_steps"));
}

TEST(Options, HelpListsEveryOptionWithItsDefault) {
  auto help = options_help();
  for (const char* flag : {"--strategy", "--schedules", "--seed", "--depth", "--max-steps", "--jobs", "--spurious",
                           "--runs", "--timeout"})
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  EXPECT_NE(help.find("(default: random)"), std::string::npos) << help;
  EXPECT_EQ(help.find("--format"), std::string::npos) << "a command's flag is the CLI's, not an exploration option";
}

}  // namespace options_test
}  // namespace lab
