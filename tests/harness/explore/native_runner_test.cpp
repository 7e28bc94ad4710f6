#include "harness/explore/native_runner.h"

#include <gtest/gtest.h>

#include "harness/explore/explorer.h"
#include "harness/lab.h"

#include <chrono>
#include <thread>
#include "harness/runtime/sanitizer_build.h"
#include "scenarios/catalog.h"
#include "tests/support/stop_soon.h"

namespace lab {
namespace native_runner_test {

// Variants that hang for real (deadlock, lost wakeup: see the watchdog test) or are undefined
// behaviour on real threads (data races: a racy push_back can corrupt the heap; see the TSan
// test) are left out of this in-process loop.
bool safe_natively(verdict v) {
  return v != verdict::deadlock && v != verdict::lost_wakeup && v != verdict::data_race;
}

TEST(NativeRunner, EveryScenarioRunsOnRealThreads) {
  int ran = 0;
  for (const auto& s : catalog()) {
    if (!safe_natively(s.expected)) continue;
    ++ran;
    bool hung = true;
    // work_scale: the fib server's 2 s requests spin for 20 ms here.
    auto r = run_native(s.full_name(), s.body, {.runs = 3, .work_scale = 0.01, .timeout = 20}, hung);
    EXPECT_FALSE(hung) << s.full_name();
    EXPECT_EQ(r.backend, "native");
    EXPECT_EQ(r.stats.executions, r.result == verdict::clean ? 3u : r.schedule + 1) << s.full_name();
    if (s.expected == verdict::clean) {
      EXPECT_EQ(r.result, verdict::clean) << s.full_name();
    }
  }
  EXPECT_GE(ran, 10) << "every fixed variant at least";
}

TEST(NativeRunner, ReportsWhatTheScenarioMeasured) {
  const scenario* s = find_scenario("long_task_head_of_line/fixed");
  ASSERT_NE(s, nullptr);
  bool hung = true;
  auto r = run_native(s->full_name(), s->body, {.runs = 2, .work_scale = 0.001, .timeout = 20}, hung);
  EXPECT_FALSE(hung);
  ASSERT_EQ(r.measurements.size(), 1u);
  EXPECT_EQ(r.measurements[0].name, "short request latency");
  EXPECT_EQ(r.measurements[0].count, 40u) << "four clients x five requests x two runs";
  EXPECT_LE(r.measurements[0].p50_ns, r.measurements[0].p99_ns);
  EXPECT_EQ(r.measured_executions, 2u);
}

// asyncio's debug mode, natively: a step that holds the real loop past the threshold is reported.
TEST(NativeRunner, LoopStallOnTheRealClock) {
  for (const char* name : {"blocking_call_in_loop/broken", "blocking_library_call/broken"}) {
    const scenario* s = find_scenario(name);
    ASSERT_NE(s, nullptr);
    bool hung = true;
    auto r = run_native(s->full_name(), s->body, {.runs = 1, .timeout = 20}, hung);
    EXPECT_FALSE(hung);
    EXPECT_EQ(r.result, verdict::loop_stall) << name;
  }
  const scenario* fixed = find_scenario("blocking_call_in_loop/fixed");
  bool hung = true;
  auto r = run_native(fixed->full_name(), fixed->body, {.runs = 1, .timeout = 20}, hung);
  EXPECT_EQ(r.result, verdict::clean);
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

// Ctrl-C inside a hung run ends it at once: incomplete (interrupted), neither clean nor a
// timeout, and the caller is told the run's threads are left behind.
TEST(NativeRunner, AStopRequestEndsAHungRunAtOnce) {
  static auto* m = new lab::mutex;
  static auto* cv = new lab::condition_variable;
  test::stop_soon stopper;
  bool hung = false;
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_native("hang", [] {
    lab::unique_lock lk(*m);
    cv->wait(lk, [] { return false; });
  }, {.runs = 5, .timeout = 60}, hung);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  EXPECT_TRUE(hung);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.result, verdict::clean);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.note.find("interrupted after 1 of 5 runs"), std::string::npos) << r.note;
}

// In the tsan build the native backend is what ThreadSanitizer watches: the broken variant's real
// race is reported (TSan exits with 66 under halt_on_error=1), the fixed ones stay silent.
TEST(NativeRunnerUnderTsan, RealRaceIsReportedByThreadSanitizer) {
  if (!CONLAB_TSAN) GTEST_SKIP() << "only meaningful in the tsan build";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const scenario* s = find_scenario("lost_update/broken");
  ASSERT_NE(s, nullptr);
  EXPECT_EXIT(
      {
        bool hung = false;
        run_native(s->full_name(), s->body, {.runs = 10}, hung);
        std::exit(0);
      },
      ::testing::ExitedWithCode(66), "ThreadSanitizer: data race");
}

}  // namespace native_runner_test
}  // namespace lab
