#include "harness/cli/progress.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <string>

#include "harness/cli/cli.h"

namespace lab::cli {
namespace progress_test {

TEST(Progress, PrintableEscapesControlCharacters) {
  EXPECT_EQ(printable("a\nb\tc\x1b[2J"), "a\\nb\\tc\\x1b[2J");
  EXPECT_EQ(printable("lost_update/fixed"), "lost_update/fixed");
}

TEST(Progress, CheckLineCountsExplorationsFindingsAndTheWholeCommandsTimeLeft) {
  progress_state s{.command = "check", .units = 10, .finished = 4, .findings = 1};
  // 4 of 10 units in 40 s: 60 s to go.
  EXPECT_EQ(format_progress(s, 40), "check: 4 of 10 explorations, 1 finding, ~60 s to go");
  s.findings = 3;
  s.current = progress_update{.name = "lost_update/fixed", .strategy = "pct", .done = 5000, .budget = 10000,
                              .elapsed_s = 2};
  // 4.5 of 10 units in 45 s: 55 s to go; the exploration under way with its rate.
  EXPECT_EQ(format_progress(s, 45),
            "check: 4 of 10 explorations, 3 findings, ~55 s to go | lost_update/fixed (pct) 5000 of 10000 executions, 2500/s");
}

TEST(Progress, LongEstimatesInMinutesAndHours) {
  progress_state s{.command = "report", .units = 100, .finished = 1};
  EXPECT_NE(format_progress(s, 50).find("~82 min to go"), std::string::npos);
  EXPECT_NE(format_progress(s, 600).find("~16.5 h to go"), std::string::npos);
  s.finished = 0;
  EXPECT_NE(format_progress(s, 5).find("estimating"), std::string::npos) << "no work done: no estimate yet";
}

TEST(Progress, RunLineIsTheExplorationAlone) {
  progress_state s{.command = "run", .units = 1};
  s.current = progress_update{.name = "w1", .strategy = "random", .done = 250, .budget = 1000, .elapsed_s = 1};
  EXPECT_EQ(format_progress(s, 1), "w1 (random) 250 of 1000 executions, 250/s, ~3 s to go");
}

TEST(Progress, CompareCountsCells) {
  progress_state s{.command = "compare", .units = 6, .finished = 3, .findings = 2};
  EXPECT_EQ(format_progress(s, 30), "compare: 3 of 6 cells, 2 findings, ~30 s to go");
}

/// Runs the CLI with stderr on a real pseudo-terminal and returns what the terminal received.
std::string on_a_terminal(std::vector<std::string> args, int& code) {
  int master = -1, slave = -1;
  EXPECT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  std::FILE* err = ::fdopen(slave, "w");
  std::FILE* out = std::tmpfile();
  args.insert(args.begin(), "conlab");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  code = main(static_cast<int>(argv.size()), argv.data(), out, err);
  std::fclose(err);
  std::fclose(out);
  std::string seen;
  ::fcntl(master, F_SETFL, O_NONBLOCK);
  char buf[4096];
  for (ssize_t n; (n = ::read(master, buf, sizeof buf)) > 0;) seen.append(buf, static_cast<std::size_t>(n));
  ::close(master);
  return seen;
}

TEST(Progress, CheckOnATerminalShowsTheLineAndWipesIt) {
  int code = -1;
  std::string tty = on_a_terminal({"check", "lost_update", "--schedules", "300"}, code);
  EXPECT_EQ(code, 0);
  // Each finished exploration redraws the line: the last one counts them all.
  // (The samplers dpor made unneeded by verifying a fixed variant drop out of the count.)
  EXPECT_NE(tty.find("check: 5 of 5 explorations, 3 findings"), std::string::npos) << tty;
  EXPECT_NE(tty.find("\x1b[K"), std::string::npos) << "rewritten in place";
  EXPECT_TRUE(tty.ends_with("\r\x1b[K")) << "wiped at the end";
}

TEST(Progress, NothingExtraWhenStderrIsNotATerminal) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  const char* argv[] = {"conlab", "check", "lost_update", "--schedules", "300"};
  EXPECT_EQ(main(5, argv, out, err), 0);
  EXPECT_EQ(std::ftell(err), 0) << "stderr stays empty";
  std::fclose(out);
  std::fclose(err);
}

}  // namespace progress_test
}  // namespace lab::cli
