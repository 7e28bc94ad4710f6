#include "sanitizers/supervisor.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "sanitizers/tool_output.h"

namespace lab {
namespace supervisor_test {

TEST(RunChild, CapturesOutputAndExitCode) {
  auto r = run_child({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10);
  EXPECT_TRUE(r.started);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("out\n"), std::string::npos);
  EXPECT_NE(r.output.find("err\n"), std::string::npos);
}

TEST(RunChild, MissingProgramIsNotStarted) {
  auto r = run_child({"/nonexistent/conlab-no-such-program"}, 10);
  EXPECT_FALSE(r.started);
  EXPECT_FALSE(r.timed_out);
}

TEST(RunChild, AHangIsKilledAtTheDeadline) {
  auto r = run_child({"sh", "-c", "echo before; exec sleep 30"}, 0.5, false);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_LT(r.seconds, 10.0);
  EXPECT_NE(r.output.find("before"), std::string::npos) << "what it printed before the hang is kept";
}

// The watchdog on a real deadlock: self_deadlock's broken variant relocks a mutex it holds, so
// its native run hangs for sure. gdb's stacks name the scenario's line where the thread waits.
TEST(RunChild, DeadlockedScenarioEndsWithEveryThreadsStack) {
  if (::access("/usr/bin/gdb", X_OK) != 0) GTEST_SKIP() << "gdb is not installed";
  auto r = run_child({CONLAB_CLI_PATH, "run", "self_deadlock/broken", "--backend", "native", "--timeout", "120"}, 3);
  if (!r.timed_out) {
    // Under ThreadSanitizer with halt_on_error=1 (the tsan preset), TSan sees the second lock of
    // the mutex and ends the run before it can hang: its report names the line instead.
    auto found = parse_sanitizer_output(r.output);
    ASSERT_FALSE(found.empty()) << r.output;
    const frame* f = found[0].blame("scenarios/");
    ASSERT_NE(f, nullptr) << r.output;
    EXPECT_TRUE(f->file.starts_with("scenarios/self_deadlock/")) << r.output;
    return;
  }
  auto threads = parse_gdb_backtraces(r.stacks);
  ASSERT_FALSE(threads.empty()) << r.stacks;
  bool names_the_scenario = false;
  for (const auto& t : threads)
    for (const auto& f : t.frames) names_the_scenario |= f.file.starts_with("scenarios/self_deadlock/");
  EXPECT_TRUE(names_the_scenario) << r.stacks;
}

}  // namespace supervisor_test
}  // namespace lab
