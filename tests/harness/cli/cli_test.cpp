#include "harness/cli/cli.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/capture.h"

namespace lab {
namespace {

using test::run_cli;

std::string replay_token_of(const std::string& report) {
  auto at = report.rfind("Replay: conlab replay ");
  if (at == std::string::npos) return {};
  auto token = report.substr(at + 22);
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

TEST(Cli, ListNamesEveryVariantWithItsVerdict) {
  auto r = run_cli({"list"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("lost_update/broken"), std::string::npos);
  EXPECT_NE(r.out.find("data_race"), std::string::npos);
  EXPECT_NE(r.out.find("lock_order_inversion/fixed"), std::string::npos);
}

TEST(Cli, ListJson) {
  auto r = run_cli({"list", "--json"});
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_GE(j.size(), 5u);
  for (const auto& s : j)
    for (const char* key : {"scenario", "variant", "failure_mode", "expected", "summary", "readme"})
      EXPECT_TRUE(s.contains(key)) << key;
}

TEST(Cli, RunBrokenReportsAndExitsOne) {
  auto r = run_cli({"run", "lost_update/broken"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("WARNING: conlab: data race"), std::string::npos);
  EXPECT_NE(r.out.find("scenarios/lost_update/lost_update.cpp:"), std::string::npos);
  EXPECT_TRUE(r.out.ends_with("\n"));
  EXPECT_FALSE(replay_token_of(r.out).empty()) << "the replay line is last";
}

TEST(Cli, RunFixedIsCleanAndExitsZero) {
  auto r = run_cli({"run", "lost_update/fixed", "--schedules", "500"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("is clean"), std::string::npos);
}

TEST(Cli, ReplayReproducesTheSameReport) {
  auto first = run_cli({"run", "lock_order_inversion/broken", "--strategy", "pct"});
  ASSERT_EQ(first.code, 1);
  auto token = replay_token_of(first.out);
  auto again = run_cli({"replay", token});
  EXPECT_EQ(again.code, 1);
  // Everything but the "found in execution i of n" line is identical.
  auto cut = [](const std::string& s) { return s.substr(0, s.find("Found in")); };
  EXPECT_EQ(cut(again.out), cut(first.out));
  EXPECT_EQ(replay_token_of(again.out), token);
}

TEST(Cli, JsonFormatHasTheContractFields) {
  auto r = run_cli({"run", "lost_update/broken", "--format", "json"});
  ASSERT_EQ(r.code, 1);
  auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"scenario", "variant", "backend", "strategy", "seed", "schedule", "steps", "verdict", "replay",
                          "findings", "stats"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["scenario"], "lost_update");
  EXPECT_EQ(j["variant"], "broken");
  EXPECT_EQ(j["verdict"], "data_race");
  for (const char* key : {"kind", "message", "threads", "objects", "locations"})
    EXPECT_TRUE(j["findings"][0].contains(key)) << key;
  for (const char* key : {"executions", "steps", "elapsed_s"}) EXPECT_TRUE(j["stats"].contains(key)) << key;
}

TEST(Cli, BadInputIsOneLineAndExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"run", "no_such/variant"},
           {"run"},
           {"run", "lost_update/broken", "--strategy", "dfs"},
           {"run", "lost_update/broken", "--schedules"},
           {"run", "lost_update/broken", "--frobnicate", "1"},
           {"replay", "conlab1:AAAA"},
           {"replay", "not-a-token"},
           {"check", "no_such"},
           {"dance"}}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << args[0];
    EXPECT_TRUE(r.out.empty());
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "exactly one line: " << r.err;
    EXPECT_TRUE(r.err.starts_with("conlab: ")) << r.err;
  }
}

TEST(Cli, TokenOfAnotherScenarioIsRejected) {
  auto first = run_cli({"run", "lost_update/broken"});
  auto token = replay_token_of(first.out);
  ASSERT_FALSE(token.empty());
  // Flip one payload character: the checksum catches it.
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  auto r = run_cli({"replay", token});
  EXPECT_EQ(r.code, 2);
}

TEST(Cli, CheckSelectedScenarios) {
  auto r = run_cli({"check", "lost_update", "--schedules", "300"});
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("check: 6 passed, 0 failed"), std::string::npos) << r.out;
}

TEST(Cli, NativeBackendRunsAScenario) {
  auto r = run_cli({"run", "lock_order_inversion/fixed", "--backend", "native", "--runs", "20"});
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("native"), std::string::npos);
}

TEST(Cli, HelpListsCommandsAndOptions) {
  auto r = run_cli({"help"});
  EXPECT_EQ(r.code, 0);
  for (const char* s : {"conlab list", "conlab run", "conlab replay", "conlab check", "--strategy", "--backend"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

}  // namespace
}  // namespace lab
