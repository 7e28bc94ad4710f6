#include "sanitizers/native_runner.h"

#include <gtest/gtest.h>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab {
namespace {

TEST(NativeRunner, EveryScenarioRunsOnRealThreads) {
  for (const auto& s : catalog()) {
    if (s.expected == verdict::deadlock) continue;  // hangs for real: see the watchdog test
    bool hung = true;
    auto r = run_native(s.full_name(), s.body, {.runs = 5, .timeout = 20}, hung);
    EXPECT_FALSE(hung) << s.full_name();
    EXPECT_EQ(r.backend, "native");
    EXPECT_EQ(r.stats.executions, r.result == verdict::clean ? 5u : r.schedule + 1) << s.full_name();
    if (s.expected == verdict::clean) {
      EXPECT_EQ(r.result, verdict::clean) << s.full_name();
    }
  }
}

TEST(NativeRunner, AssertionFailureStopsTheRuns) {
  bool hung = false;
  auto r = run_native("x", [] { lab::assert_that(false, "always"); }, {.runs = 10}, hung);
  EXPECT_EQ(r.result, verdict::assertion_failed);
  EXPECT_EQ(r.stats.executions, 1u);
}

// A real deadlock: the watchdog reports a timeout instead of hanging. The stuck threads are left
// behind (detached), which is why the CLI exits right after such a report. The objects they wait
// on are leaked on purpose: glibc's condition-variable destructor would wait for the waiter.
TEST(NativeRunner, WatchdogTurnsAHangIntoTimeout) {
  static auto* m = new lab::mutex;
  static auto* cv = new lab::condition_variable;
  bool hung = false;
  auto r = run_native("hang", [] {
    lab::unique_lock lk(*m);
    cv->wait(lk, [] { return false; });  // nobody will ever make it true
  }, {.runs = 1, .timeout = 0.3}, hung);
  EXPECT_TRUE(hung);
  EXPECT_EQ(r.result, verdict::timeout);
}

}  // namespace
}  // namespace lab
