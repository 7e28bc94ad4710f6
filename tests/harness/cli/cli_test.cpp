#include "harness/cli/cli.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sanitizers/supervisor.h"
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
           {"native"},
           {"native", "no_such/variant"},
           {"native", "lost_update/broken", "--tool", "asan"},
           {"compare", "no_such"},
           {"compare", "lost_update", "--detectors", "sim-pct,frobnicator"},
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

TEST(Cli, CompareWritesMarkdownAndJson) {
  auto dir = std::filesystem::temp_directory_path() / ("conlab_compare_" + std::to_string(::getpid()));
  auto r = run_cli({"compare", "lost_update", "--detectors", "sim-random,sim-pct", "--schedules", "200", "--out", dir.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("| lost_update/broken | data_race |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| lost_update/fixed | clean | clean (200) | clean (200) |"), std::string::npos) << r.out;
  std::ifstream js(dir / "comparison.json");
  auto j = nlohmann::json::parse(js);
  EXPECT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["summary"][1]["detector"], "sim-pct");
  EXPECT_EQ(j["summary"][1]["broken_found"], 1);
  EXPECT_TRUE(std::filesystem::exists(dir / "comparison.md"));
  std::filesystem::remove_all(dir);
}

// Native cells run the real conlab binary in children (the test binary cannot stand in for it).
TEST(Cli, CompareRunsNativeDetectorsInChildren) {
  auto r = run_child({CONLAB_CLI_PATH, "compare", "lost_update", "--detectors", "sim-pct,stress+jitter",
                      "--runs", "20", "--fixed-runs", "3", "--jitter", "0.5", "--format", "json"}, 300);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output.substr(r.output.find("{\n")));
  for (const auto& row : j["rows"]) {
    const auto& stress = row["cells"][1];
    EXPECT_EQ(stress["detector"], "stress+jitter");
    EXPECT_EQ(stress["ran"], true) << stress.dump();
    if (row["expected"] == "clean") {
      EXPECT_EQ(stress["found"], false) << row.dump();
      EXPECT_EQ(stress["tries"], 3);
    }
  }
  EXPECT_NE(r.output.find("compare: [1/6]"), std::string::npos) << "progress lines on stderr";
}

TEST(Cli, NativeCommandEndsAHangWithStacks) {
  auto r = run_child({CONLAB_CLI_PATH, "native", "self_deadlock/broken", "--runs", "1", "--timeout", "2"}, 120);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  if (r.output.find("(tsan)") != std::string::npos) return;  // the tsan preset: TSan saw the double lock first
  EXPECT_NE(r.output.find("WARNING: conlab native: hang in run 1 of 1 (watchdog)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("scenarios/self_deadlock/self_deadlock.cpp"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Repeat: conlab native self_deadlock/broken --tool none --runs 1"), std::string::npos) << r.output;
}

TEST(Cli, HelpListsCommandsAndOptions) {
  auto r = run_cli({"help"});
  EXPECT_EQ(r.code, 0);
  for (const char* s : {"conlab list", "conlab run", "conlab replay", "conlab check", "conlab native", "conlab compare",
                        "--strategy", "--backend", "--tool", "--jitter", "--detectors"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

TEST(Help, StrategiesComeFromTheRegistry) {
  auto r = run_cli({"help", "strategies"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("random "), std::string::npos);
  EXPECT_NE(r.out.find("pct "), std::string::npos);
  auto bad = run_cli({"run", "lost_update/broken", "--strategy", "dfs"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "conlab: --strategy: 'dfs' is not one of random|pct (see 'conlab help strategies')\n");
}

// docs/cli.md is the reference a reader opens: it holds `conlab help` verbatim, so it cannot go
// stale without this test failing.
TEST(Help, TheReferenceInDocsIsTheHelpText) {
  std::ifstream in(std::string(CONLAB_SOURCE_DIR) + "/docs/cli.md");
  ASSERT_TRUE(in) << "docs/cli.md";
  std::string doc((std::istreambuf_iterator<char>(in)), {});
  auto begin = doc.find("<!-- conlab help: begin -->"), end = doc.find("<!-- conlab help: end -->");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  std::string block = doc.substr(begin, end - begin);
  auto help = run_cli({"help"}), strategies = run_cli({"help", "strategies"});
  EXPECT_NE(block.find("```\n" + help.out + "```\n"), std::string::npos)
      << "docs/cli.md does not hold the current `conlab help`; paste it there:\n" << help.out;
  EXPECT_NE(block.find("```\n" + strategies.out + "```\n"), std::string::npos)
      << "docs/cli.md does not hold the current `conlab help strategies`:\n" << strategies.out;
}

}  // namespace
}  // namespace lab
