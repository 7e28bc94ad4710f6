#include "sanitizers/native_tools.h"
#include "sanitizers/supervisor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <chrono>
#include <thread>

#include "harness/explore/explorer.h"
#include "scenarios/catalog.h"
#include "tests/support/stop_soon.h"

namespace lab {
namespace native_tools_test {

namespace fs = std::filesystem;

/// A stand-in for conlab: a shell script that ignores its arguments and prints `body`.
class fake_conlab {
 public:
  explicit fake_conlab(const std::string& body) {
    path_ = fs::temp_directory_path() / fmt_name();
    std::ofstream(path_) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(path_, fs::perms::owner_all);
  }
  ~fake_conlab() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  static std::string fmt_name() {
    static int n = 0;
    return "conlab_fake_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".sh";
  }
  fs::path path_;
};

std::string fixture(const char* name) { return std::string(CONLAB_SOURCE_DIR) + "/tests/sanitizers/fixtures/" + name; }

native_request request(const std::string& program, native_tool tool = native_tool::tsan) {
  return {.variant = "lost_update/broken", .tool = tool, .runs = 3, .run_timeout_s = 2, .budget_s = 30, .program = program};
}

TEST(RunUnderTool, AToolReportBelongsToTheRunWhoseMarkPrecedesIt) {
  fake_conlab fake("echo '==conlab== run 1 of 3' >&2; echo '==conlab== run 2 of 3' >&2; cat " + fixture("tsan.txt") +
                   " >&2; exit 66");
  auto r = run_under_tool(request(fake.path()));
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_TRUE(r.first.has_value()) << r.output;
  EXPECT_EQ(r.first->run, 2u);
  EXPECT_EQ(r.first->source, "tsan");
  EXPECT_EQ(r.first->kind, verdict::data_race);
  EXPECT_EQ(r.first->title, "data race");
  EXPECT_EQ(r.first->message, "Read of size 4 by thread T2") << "no raw address";
  EXPECT_EQ(r.runs_started, 2u);
  EXPECT_FALSE(r.reports.empty());
}

TEST(RunUnderTool, TheScenariosOwnCheckIsTheLabsDetection) {
  fake_conlab fake(
      "echo '==conlab== run 1 of 3' >&2; echo '==conlab== run 2 of 3' >&2;"
      "echo '==conlab== finding in run 2: assertion_failed: assertion failed: x == 2' >&2; exit 1");
  auto r = run_under_tool(request(fake.path(), native_tool::none));
  ASSERT_TRUE(r.first.has_value()) << r.output;
  EXPECT_EQ(r.first->run, 2u);
  EXPECT_EQ(r.first->source, "lab");
  EXPECT_EQ(r.first->kind, verdict::assertion_failed);
  EXPECT_EQ(r.first->message, "assertion failed: x == 2");
}

TEST(RunUnderTool, AToolReportBeforeTheLabsFindingInTheSameRunComesFirst) {
  fake_conlab fake("echo '==conlab== run 1 of 3' >&2; cat " + fixture("tsan.txt") +
                   " >&2; echo '==conlab== finding in run 1: assertion_failed: x' >&2; exit 1");
  auto r = run_under_tool(request(fake.path()));
  ASSERT_TRUE(r.first.has_value());
  EXPECT_EQ(r.first->source, "tsan");
}

TEST(RunUnderTool, ValgrindOutputIsReadWithTheValgrindParser) {
  // The fake stands for valgrind's child: run_under_tool puts valgrind in front, so feed the
  // parser through a fake valgrind on PATH instead.
  fake_conlab fake_valgrind("echo '==conlab== run 1 of 3' >&2; cat " + fixture("helgrind.txt") + " >&2; exit 66");
  fs::path dir = fs::temp_directory_path() / ("conlab_fake_bin_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(fake_valgrind.path(), dir / "valgrind", fs::copy_options::overwrite_existing);
  std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (dir.string() + ":" + old_path).c_str(), 1);
  auto r = run_under_tool(request("conlab", native_tool::helgrind));
  ::setenv("PATH", old_path.c_str(), 1);
  fs::remove_all(dir);
  ASSERT_TRUE(r.first.has_value()) << r.output;
  EXPECT_EQ(r.first->source, "helgrind");
  EXPECT_EQ(r.first->kind, verdict::data_race);
  EXPECT_EQ(r.first->run, 1u);
}

TEST(RunUnderTool, ASilentChildIsAHangEndedByTheWatchdog) {
  fake_conlab fake("echo '==conlab== run 1 of 3' >&2; echo '==conlab== run 2 of 3' >&2; exec sleep 60");
  auto r = run_under_tool(request(fake.path(), native_tool::none));
  ASSERT_TRUE(r.first.has_value());
  EXPECT_EQ(r.first->source, "watchdog");
  EXPECT_EQ(r.first->kind, verdict::timeout);
  EXPECT_EQ(r.first->run, 2u);
  EXPECT_LT(r.seconds, 20.0);
}

TEST(RunUnderTool, ARefusedCommandIsAnErrorNotADetection) {
  fake_conlab fake("echo \"conlab: unknown scenario 'x/y' (see 'conlab list')\" >&2; exit 2");
  auto r = run_under_tool(request(fake.path(), native_tool::none));
  EXPECT_FALSE(r.first.has_value());
  EXPECT_EQ(r.error, fake.path() + " refused the run: unknown scenario 'x/y' (see 'conlab list')");
}

TEST(RunUnderTool, AChildKilledByASignalIsACrash) {
  fake_conlab fake("echo '==conlab== run 1 of 3' >&2; kill -SEGV $$");
  auto r = run_under_tool(request(fake.path(), native_tool::none));
  ASSERT_TRUE(r.first.has_value()) << r.output;
  EXPECT_EQ(r.first->source, "signal");
  EXPECT_EQ(r.first->kind, verdict::crash);
  EXPECT_EQ(r.first->title, "SIGSEGV");
}

TEST(RunUnderTool, CleanRunsFindNothing) {
  fake_conlab fake("for i in 1 2 3; do echo \"==conlab== run $i of 3\" >&2; done; exit 0");
  auto r = run_under_tool(request(fake.path()));
  EXPECT_FALSE(r.first.has_value());
  EXPECT_EQ(r.runs_started, 3u);
  EXPECT_TRUE(r.error.empty());
}

// A child that ends well without doing the runs is not a conlab that ran them (a wrong
// --tsan-bin such as /bin/true): an error, never "nothing found".
TEST(RunUnderTool, AChildThatRanNoRunIsAnErrorNotClean) {
  fake_conlab fake("exit 0");
  auto r = run_under_tool(request(fake.path()));
  EXPECT_FALSE(r.first.has_value());
  EXPECT_EQ(r.error, fake.path() + " ran no run of lost_update/broken (is it a conlab binary?)");
}

TEST(RunUnderTool, AChildThatStoppedEarlyIsAnErrorNotClean) {
  fake_conlab fake("echo '==conlab== run 1 of 3' >&2; exit 0");
  auto r = run_under_tool(request(fake.path()));
  EXPECT_FALSE(r.first.has_value());
  EXPECT_EQ(r.error, fake.path() + " stopped after 1 of 3 runs with no report");
}

// Ctrl-C (request_stop) ends the child at once; what it wrote is kept, and the result says it
// is incomplete rather than clean or hung.
TEST(RunUnderTool, AStopRequestEndsTheChildAtOnce) {
  fake_conlab fake("echo '==conlab== run 1 of 3' >&2; exec sleep 60");
  test::stop_soon stopper;
  auto rq = request(fake.path(), native_tool::none);
  rq.run_timeout_s = 30;
  auto r = run_under_tool(rq);
  stopper.join();
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.first.has_value()) << "a killed child is not a crash";
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.runs_started, 1u);
  EXPECT_LT(r.seconds, 10.0);
}

// --tsan-bin / --plain-bin name a conlab built for the tool, checked by asking it --version.
TEST(ConlabBinary, OnlyAConlabBuiltForTheToolIsTaken) {
  fake_conlab none("echo 'conlab 9.9 (sanitizer: none)'");
  fake_conlab thread("echo 'conlab 9.9 (sanitizer: thread)'");
  EXPECT_EQ(check_conlab_binary(native_tool::tsan, thread.path()), "");
  EXPECT_EQ(check_conlab_binary(native_tool::none, none.path()), "");
  EXPECT_EQ(check_conlab_binary(native_tool::helgrind, none.path()), "");
  EXPECT_NE(check_conlab_binary(native_tool::tsan, none.path()).find("is not built with ThreadSanitizer"), std::string::npos);
  EXPECT_NE(check_conlab_binary(native_tool::drd, thread.path()).find("is built with a sanitizer"), std::string::npos);
  EXPECT_EQ(check_conlab_binary(native_tool::tsan, "/bin/true"), "/bin/true is not a conlab binary (it does not answer --version as conlab does)");
  EXPECT_NE(check_conlab_binary(native_tool::tsan, "/nonexistent/conlab").find("is not a conlab binary"), std::string::npos);
  // This build answers for itself.
  std::string_view mine = this_build_sanitizer();
  if (mine == "thread") EXPECT_EQ(check_conlab_binary(native_tool::tsan, CONLAB_CLI_PATH), "");
  else if (mine.empty()) EXPECT_EQ(check_conlab_binary(native_tool::none, CONLAB_CLI_PATH), "");
  else EXPECT_NE(check_conlab_binary(native_tool::none, CONLAB_CLI_PATH), "");
}

TEST(NativeTool, NamesRoundTrip) {
  for (auto t : {native_tool::none, native_tool::tsan, native_tool::helgrind, native_tool::drd})
    EXPECT_EQ(parse_native_tool(to_string(t)), t);
  EXPECT_FALSE(parse_native_tool("asan").has_value());
  native_result r;
  r.tool = native_tool::none;
  EXPECT_EQ(r.column(), "stress");
  r.tool = native_tool::tsan;
  r.jitter = 0.3;
  EXPECT_EQ(r.column(), "tsan+jitter");
}

// The real thing, on the scenario catalog. The conlab under test is this build's: under the
// tsan preset it is the ThreadSanitizer build, which is what the race check needs.

std::vector<const scenario*> with_verdict(verdict v) {
  std::vector<const scenario*> out;
  for (const auto& s : catalog())
    if (s.expected == v) out.push_back(&s);
  return out;
}

// Issue 5's bar: in the TSan build, every race scenario's broken variant is flagged by TSan
// within 10 native runs, and every fixed variant of those scenarios is clean over 20.
TEST(RunUnderTool, ThreadSanitizerFlagsEveryRaceWithinTenRunsAndNoFixedVariantInTwenty) {
  if (this_build_sanitizer() != "thread") GTEST_SKIP() << "needs the tsan preset's conlab";
  std::string supp = std::string(CONLAB_SOURCE_DIR) + "/sanitizers";
  for (const scenario* s : with_verdict(verdict::data_race)) {
    native_request rq{.variant = s->full_name(), .tool = native_tool::tsan, .runs = 10, .work_scale = 0.1,
                      .run_timeout_s = 30, .budget_s = 240, .program = CONLAB_CLI_PATH, .suppressions_dir = supp};
    auto r = run_under_tool(rq);
    ASSERT_TRUE(r.error.empty()) << s->full_name() << ": " << r.error;
    ASSERT_TRUE(r.first.has_value()) << s->full_name() << " not flagged in 10 runs\n" << r.output;
    EXPECT_EQ(r.first->source, "tsan") << s->full_name() << "\n" << r.output;
    EXPECT_TRUE(r.first->where.starts_with("scenarios/" + std::string(s->name) + "/"))
        << s->full_name() << ": " << r.first->where;
    for (const auto& f : catalog()) {
      if (f.name != s->name || f.expected != verdict::clean) continue;
      rq.variant = f.full_name();
      rq.runs = 20;
      auto clean = run_under_tool(rq);
      EXPECT_TRUE(clean.error.empty()) << clean.error;
      EXPECT_FALSE(clean.first.has_value()) << f.full_name() << " flagged:\n" << clean.output;
      EXPECT_EQ(clean.runs_started, 20u) << f.full_name();
    }
  }
}

// `conlab run --backend native` in the TSan build gives ThreadSanitizer's verdict: never
// "clean" over the race TSan has just printed (with halt_on_error=0 the run goes on to its end).
TEST(RunUnderTool, TheTsanBuildsNativeRunGivesThreadSanitizersVerdict) {
  if (this_build_sanitizer() != "thread") GTEST_SKIP() << "needs the tsan preset's conlab";
  auto out = run_child(child_spec{.argv = {CONLAB_CLI_PATH, "run", "lost_update/broken", "--backend", "native",
                                           "--runs", "10", "--format", "json"},
                                  .env = {"TSAN_OPTIONS=halt_on_error=0 exitcode=0"},
                                  .timeout_s = 120,
                                  .dump_stacks = false});
  EXPECT_EQ(out.exit_code, 1) << out.output;
  EXPECT_NE(out.output.find("WARNING: ThreadSanitizer: data race"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("\"verdict\": \"data_race\""), std::string::npos) << out.output;
  EXPECT_EQ(out.output.find("\"verdict\": \"clean\""), std::string::npos) << out.output;
}

// Issue 5's other bar: a deadlock's broken native run never hangs the caller. The variants that
// deadlock for sure are ended by the watchdog with every thread's stack, one naming the
// scenario; the others (a lock-order cycle that needs unlucky timing) end within their budget
// either way. Under TSan, its own report may end the run first (it sees the double lock).
TEST(RunUnderTool, EveryDeadlockScenarioEndsByTheWatchdogWithStacks) {
  if (::access("/usr/bin/gdb", X_OK) != 0) GTEST_SKIP() << "gdb is not installed";
  for (const scenario* s : with_verdict(verdict::deadlock)) {
    if (s->variant != "broken") continue;
    native_request rq{.variant = s->full_name(), .tool = native_tool::none, .runs = 3, .jitter = 0.3,
                      .work_scale = 0.1, .run_timeout_s = 2, .budget_s = 60, .program = CONLAB_CLI_PATH};
    auto r = run_under_tool(rq);
    ASSERT_TRUE(r.error.empty()) << s->full_name() << ": " << r.error;
    EXPECT_FALSE(r.budget_exhausted) << s->full_name();
    EXPECT_LT(r.seconds, 60.0) << s->full_name();
    if (!r.first) continue;  // no unlucky timing in 3 runs: it ended by itself
    if (r.first->source != "watchdog") {
      EXPECT_TRUE(this_build_sanitizer() == "thread" && r.first->source == "tsan") << s->full_name() << "\n" << r.output;
      continue;
    }
    EXPECT_FALSE(r.stacks.empty()) << s->full_name();
    EXPECT_TRUE(r.first->where.starts_with("scenarios/" + std::string(s->name) + "/"))
        << s->full_name() << ": " << r.first->where;
  }
  // The sure ones must have been caught, not merely ended. self_deadlock hangs in every run;
  // pool_deadlock in nearly every one (a loaded machine can let a worker take the first task and
  // queue its subtask before the second task is submitted: then no cycle forms), so it gets five.
  for (const char* sure : {"self_deadlock/broken", "pool_deadlock/broken"}) {
    auto r = run_under_tool({.variant = sure, .tool = native_tool::none, .runs = 5, .run_timeout_s = 2,
                             .budget_s = 60, .program = CONLAB_CLI_PATH});
    ASSERT_TRUE(r.first.has_value()) << sure;
    EXPECT_TRUE(r.first->source == "watchdog" || (this_build_sanitizer() == "thread" && r.first->source == "tsan"))
        << sure << ": " << r.first->source;
  }
}

// A forked child that hangs on a lock its parent's thread held at the fork: the parent waits in
// waitpid, the child in the lock. The watchdog takes the child's stack too (a process the hung
// program forked), so the report shows where the child hangs, not only where its parent waits.
TEST(RunUnderTool, TheWatchdogTakesAForkedChildsStackToo) {
  if (::access("/usr/bin/gdb", X_OK) != 0) GTEST_SKIP() << "gdb is not installed";
  if (this_build_sanitizer() == "thread") GTEST_SKIP() << "TSan's own fork handling decides how the child ends";
  auto r = run_under_tool({.variant = "fork_with_held_lock/broken", .tool = native_tool::none, .runs = 10,
                           .run_timeout_s = 2, .budget_s = 60, .program = CONLAB_CLI_PATH});
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_TRUE(r.first.has_value()) << "the heartbeat holds the log's lock most of the time: a fork lands inside\n"
                                   << r.output;
  EXPECT_EQ(r.first->source, "watchdog");
  bool child_in_lock = false;
  for (const auto& t : r.stacks) {
    if (!t.name.starts_with("Thread child-")) continue;
    for (const auto& f : t.frames)
      if (f.file == "scenarios/fork_with_held_lock/exercise.cpp" && f.line == 17) child_in_lock = true;
  }
  EXPECT_TRUE(child_in_lock) << r.output;
}

}  // namespace native_tools_test
}  // namespace lab
