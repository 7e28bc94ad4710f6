#include "harness/cli/cli.h"

#include <gtest/gtest.h>
#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <chrono>
#include <fstream>
#include <thread>

#include "harness/explore/explorer.h"

#include "sanitizers/supervisor.h"
#include "tests/support/capture.h"
#include "tests/support/stop_soon.h"

namespace lab {
namespace cli_test {

using test::run_cli;

std::string replay_token_of(const std::string& report) {
  auto at = report.rfind("Replay: conlab replay ");
  if (at == std::string::npos) return {};
  auto token = report.substr(at + 22);
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

TEST(Cli, DporVerifiesLostUpdatesFixInTwoExecutions) {
  auto r = run_cli({"run", "lost_update/fixed", "--strategy", "dpor", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "clean");
  EXPECT_EQ(j["stats"]["exhaustive"], true);
  EXPECT_EQ(j["stats"]["executions"], 2);
  EXPECT_EQ(j["stats"]["classes"], 2);
  auto text = run_cli({"run", "lost_update/fixed", "--strategy", "dpor"});
  EXPECT_NE(text.out.find("verified: no finding in any of the 2 interleaving classes"), std::string::npos) << text.out;
  // Random is a sample, and says nothing of classes.
  auto sampled = run_cli({"run", "lost_update/fixed", "--schedules", "50", "--format", "json"});
  auto js = nlohmann::json::parse(sampled.out);
  EXPECT_EQ(js["stats"]["exhaustive"], false);
  EXPECT_EQ(js["stats"]["classes"], 0);
}

TEST(Cli, DporFindsTheRaceAndABudgetTooSmallIsASample) {
  auto broken = run_cli({"run", "lost_update/broken", "--strategy", "dpor"});
  EXPECT_EQ(broken.code, 1);
  EXPECT_NE(broken.out.find("WARNING: conlab: data race"), std::string::npos);
  auto small = run_cli({"run", "dining_philosophers/fixed", "--strategy", "dpor", "--schedules", "5"});
  EXPECT_EQ(small.code, 0);
  EXPECT_NE(small.out.find("sampled: no finding in 5 executions; the budget ended"), std::string::npos) << small.out;
  auto check = run_cli({"check", "lost_update", "--strategy", "dpor"});
  EXPECT_EQ(check.code, 0);
  EXPECT_NE(check.out.find("lost_update/fixed                    dpor    expected clean                 verified (2 classes)"),
            std::string::npos)
      << check.out;
}

TEST(Cli, BoundedSearchMinimisesAndSaysWhatItCovered) {
  auto bounded = run_cli({"run", "lost_wakeup/fixed", "--strategy", "pb", "--preemptions", "1"});
  EXPECT_EQ(bounded.code, 0);
  EXPECT_NE(bounded.out.find("bounded: no finding in any of the"), std::string::npos) << bounded.out;
  EXPECT_NE(bounded.out.find("with at most 1 preemption ("), std::string::npos) << bounded.out;
  auto found = run_cli({"run", "lock_order_inversion/broken", "--strategy", "ipb", "--format", "json"});
  EXPECT_EQ(found.code, 1);
  EXPECT_NE(found.out.find("\"preemptions\": 1"), std::string::npos) << found.out;
  EXPECT_NE(found.out.find("\"minimal\": true"), std::string::npos);
  auto timed = run_cli({"run", "pool_deadlock/fixed", "--strategy", "dpor", "--schedules", "1000000000", "--time-budget", "0.2"});
  EXPECT_EQ(timed.code, 0);
  EXPECT_NE(timed.out.find("the time budget of 0.2 s ended before the exploration did"), std::string::npos) << timed.out;
  auto bad = run_cli({"run", "lost_update/fixed", "--time-budget", "0.0001"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  auto negative = run_cli({"run", "lost_update/fixed", "--strategy", "pb", "--preemptions", "-1"});
  EXPECT_EQ(negative.code, 2);
}

/// Runs `args` once per slice 1/N .. N/N with --format json, writes each to a file, and merges.
test::cli_result sliced(std::vector<std::string> args, int n, std::vector<std::string>* files_out = nullptr) {
  std::vector<std::string> files;
  for (int i = 1; i <= n; ++i) {
    auto a = args;
    a.insert(a.end(), {"--shard", fmt::format("{}/{}", i, n), "--format", "json"});
    auto r = test::run_cli(a);
    files.push_back(fmt::format("{}/conlab-slice-{}-{}.json", ::testing::TempDir(), i, n));
    std::ofstream(files.back()) << r.out;
  }
  std::vector<std::string> merge = {"merge"};
  merge.insert(merge.end(), files.begin(), files.end());
  if (files_out) *files_out = files;
  return test::run_cli(merge);
}

TEST(Cli, SlicesMergeIntoTheVerdictOfOneRun) {
  // dpor: verified only when every slice explored its part to the end.
  auto whole = run_cli({"run", "dining_philosophers/fixed", "--strategy", "dpor", "--schedules", "100000"});
  EXPECT_NE(whole.out.find("verified:"), std::string::npos);
  auto merged = sliced({"run", "dining_philosophers/fixed", "--strategy", "dpor", "--schedules", "100000"}, 3);
  EXPECT_EQ(merged.code, 0) << merged.err;
  EXPECT_NE(merged.out.find("is clean: verified: no finding in any of the 3 slices"), std::string::npos) << merged.out;
  // A budget too small for a slice: sampled, and which slice did not finish is named.
  auto small = sliced({"run", "dining_philosophers/fixed", "--strategy", "dpor", "--schedules", "5"}, 2);
  EXPECT_EQ(small.code, 0);
  EXPECT_NE(small.out.find("sampled:"), std::string::npos) << small.out;
  EXPECT_NE(small.out.find("did not explore its part to the end"), std::string::npos) << small.out;
  // random: the first failing execution over all slices is the one a single run reports.
  auto one = run_cli({"run", "dining_philosophers/broken", "--format", "json"});
  auto found = sliced({"run", "dining_philosophers/broken"}, 4);
  EXPECT_EQ(found.code, 1) << found.err;
  auto execution = [](const std::string& json) {
    auto at = json.find("\"execution\": ");
    return at == std::string::npos ? std::string("?") : json.substr(at + 13, json.find(',', at) - at - 13);
  };
  EXPECT_NE(found.out.find("deadlock in execution " + execution(one.out) + " "), std::string::npos)
      << found.out << " vs execution " << execution(one.out);
  EXPECT_NE(found.out.find("Replay: conlab replay conlab1:"), std::string::npos);
  // Not the slices of one exploration: one line, exit 2.
  std::vector<std::string> files;
  sliced({"run", "lost_update/fixed", "--strategy", "dpor"}, 3, &files);
  auto missing = run_cli({"merge", files[0], files[2]});
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.err, "conlab: merge: slice 2/3 missing: 2 of 3 given\n");
  auto twice = run_cli({"merge", files[0], files[0], files[1]});
  EXPECT_EQ(twice.code, 2);
  auto junk = run_cli({"merge", "/nonexistent.json"});
  EXPECT_EQ(junk.code, 2);
  EXPECT_EQ(std::count(junk.err.begin(), junk.err.end(), '\n'), 1);
  auto plan = run_cli({"run", "lost_update/fixed", "--strategy", "pb", "--shard", "1/2"});
  EXPECT_EQ(plan.code, 2);
  EXPECT_NE(plan.err.find("cannot be split yet"), std::string::npos) << plan.err;
  auto bad = run_cli({"run", "lost_update/fixed", "--shard", "3/2"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("is not I/N"), std::string::npos) << bad.err;
  auto check = run_cli({"check", "lost_update", "--shard", "1/2"});
  EXPECT_EQ(check.code, 2) << "check decides per variant: a slice is for run";
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
  EXPECT_NE(r.out.find("scenarios/lost_update/exercise.cpp:"), std::string::npos);
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
  // The report itself is identical; only the footer differs ("Found in execution i of n" after a
  // search, "Replayed execution i of the exploration that found it" after a replay).
  auto cut = [](const std::string& s) { return s.substr(0, s.rfind("==================")); };
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
           {"run", "lost_update/broken", "--strategy", "bfs"},
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
           {"compare", "lost_update", "--detectors", "sim-pct,sim-random,sim-pct"},
           {"dance"},
           // Crafted input: a huge bit count, zero work, values a conversion would round away.
           {"replay", "conlab1:ARJsb3N0X3VwZGF0ZS9icm9rZW4GcmFuZG9tAQAF____________AbuB7BU"},
           {"run", "lost_update/fixed", "--schedules", "0"},
           {"native", "lost_update/fixed", "--runs", "0"},
           {"native", "self_deadlock/broken", "--timeout", "0"},
           {"run", "lost_update/fixed", "--depth", "18446744073709551615"},
           {"run", "lost_update/fixed", "--stall-ms", "1e308"},
           {"run", "lost_update/fixed", "--stall-ms", "1e-7"},
           {"run", "lost_update/fixed", "--starve-ms", "1e-320"},
           {"run", "lost_update/fixed", "--spurious", "1e9"},
           {"run", "lost_update/fixed", "--jitter", "2147483648"},
           {"report", "lost_update", "--sources", std::string(100000, 'x')},
           {"report", "lost_update", "--sources", "/nonexistent"},
           // A tool binary that is not a conlab built for the tool.
           {"native", "lost_update/broken", "--tool", "tsan", "--tsan-bin", "/bin/true"},
           {"native", "lost_update/broken", "--tool", "tsan", "--tsan-bin", "/bin/sh"},
           {"native", "lost_update/broken", "--tool", "none", "--plain-bin", "/nonexistent"},
           // Options a command does not take are an error, not ignored.
           {"check", "lost_update", "--format", "json"},
           {"replay", "conlab1:AAAA", "--strategy", "pct"},
           {"run", "lost_update/fixed", "--tool", "tsan"},
           {"check", "lost_update", "--backend", "native"},
           {"list", "--schedules", "5"},
           {"run", "lost_update/fixed", "--schedules", "5", "--schedules", "6"},
           // Control characters never reach the terminal raw.
           {"run", "bad\x1b]0;title\x07/name"},
           {"run", "two\nlines/x"}}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << args[0];
    EXPECT_TRUE(r.out.empty());
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "exactly one line: " << r.err;
    EXPECT_TRUE(r.err.starts_with("conlab: ")) << r.err;
    for (char c : r.err.substr(0, r.err.size() - 1))
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << "a raw control byte: " << r.err;
  }
}

TEST(Cli, OutOfRangeValuesSayWhatIsAllowed) {
  auto r = run_cli({"run", "lost_update/fixed", "--stall-ms", "1e-7"});
  EXPECT_EQ(r.err, "conlab: --stall-ms: 1e-7 is out of range (0 (off), or 1e-6 to 1e9)\n");
  r = run_cli({"run", "lost_update/fixed", "--schedules", "0"});
  EXPECT_EQ(r.err, "conlab: --schedules: 0 is out of range (1 to 1e15)\n");
}

TEST(Cli, EveryCommandHasHelpAndThereIsAVersion) {
  for (const char* cmd : {"list", "run", "replay", "check", "native", "compare", "report"}) {
    auto a = run_cli({cmd, "--help"}), b = run_cli({"help", cmd});
    EXPECT_EQ(a.code, 0) << cmd;
    EXPECT_EQ(a.out, b.out) << cmd;
    EXPECT_TRUE(a.out.starts_with(std::string("usage: conlab ") + cmd)) << a.out;
  }
  auto run = run_cli({"run", "--help"});
  EXPECT_NE(run.out.find("--schedules"), std::string::npos);
  EXPECT_EQ(run.out.find("--comparison"), std::string::npos) << "only what run takes";
  auto v = run_cli({"--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_TRUE(v.out.starts_with("conlab 0.")) << v.out;
}

// Work not done never exits 0: an interrupted exploration is exit 4, with what it did.
TEST(Cli, AnInterruptedRunIsIncompleteNotClean) {
  test::stop_soon stopper;
  auto r = run_cli({"run", "lost_update/fixed", "--schedules", "1000000000000"});
  stopper.join();
  EXPECT_EQ(r.code, 4) << r.out;
  EXPECT_NE(r.out.find("interrupted after"), std::string::npos) << r.out;
}

TEST(Cli, AnInterruptedCheckIsIncompleteNotPassed) {
  test::stop_soon stopper;
  // dpor does not end on this one (59,058 classes) before the stop comes.
  auto r = run_cli({"check", "pool_deadlock/fixed", "--schedules", "1000000000000"});
  stopper.join();
  EXPECT_EQ(r.code, 4) << r.out;
  EXPECT_NE(r.out.find("STOP pool_deadlock/fixed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("ok   pool_deadlock/fixed "), std::string::npos) << "an interrupted search is no pass: " << r.out;
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
  // The broken variant under each of dpor, random and pct; each fixed one verified by dpor,
  // with nothing left to sample.
  EXPECT_NE(r.out.find("check: 5 passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok   lost_update/fixed                    dpor    expected clean                 verified (2 classes)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("lost_update/fixed                    random"), std::string::npos) << r.out;
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
  EXPECT_NE(r.output.find("scenarios/self_deadlock/exercise.cpp"), std::string::npos) << r.output;
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
  auto bad = run_cli({"run", "lost_update/broken", "--strategy", "bfs"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "conlab: --strategy: 'bfs' is not one of random|pct|dpor|pb|ipb|auto|dfs (see 'conlab help strategies')\n");
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

}  // namespace cli_test
}  // namespace lab
