#include "harness/explore/explorer.h"

#include <gtest/gtest.h>

#include "harness/runtime/execution.h"

#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include "harness/gtest/model.h"

namespace lab {
namespace explorer_test {

void racy_counter() {
  lab::shared<int> x{0, "x"};
  lab::thread a([&] { x = x + 1; });
  lab::thread b([&] { x = x + 1; });
  a.join();
  b.join();
}

// An assertion that fails only in some interleavings: b must read the counter twice between
// a's two increments.
void rare_bug() {
  lab::atomic<int> n{0};
  lab::thread a([&] { n.fetch_add(1); n.fetch_add(1); });
  lab::thread b([&] { lab::assert_that(n.load() != 1 || n.load() != 1, "never observed at 1 twice"); });
  a.join();
  b.join();
}

// Programs of many threads: a hundred workers under one lock are clean, the same without the
// lock races; an execution holds up to max_threads threads, and the one past it is a crash
// finding with a message, not undefined behaviour.
void workers(int n, bool locked) {
  lab::shared<int> x{0, "x"};
  lab::mutex m;
  std::vector<lab::thread> ts;
  ts.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&] {
      if (locked) m.lock();
      x = x + 1;
      if (locked) m.unlock();
    });
  for (auto& t : ts) t.join();
  if (locked) lab::assert_that(x == n, "every increment counted");
}

TEST(Explorer, AHundredAndOneThreadProgramRuns) {
  auto clean = explore("many_locked", [] { workers(100, true); }, {.schedules = 20});
  EXPECT_EQ(clean.result, verdict::clean) << (clean.findings.empty() ? "" : clean.findings.front().message);
  EXPECT_EQ(clean.stats.executions, 20u);
  auto racy = explore("many_racy", [] { workers(100, false); }, {.schedules = 20});
  EXPECT_EQ(racy.result, verdict::data_race);
  EXPECT_EQ(racy.threads.size(), 101u);
}

TEST(Explorer, AnExecutionHoldsMaxThreadsThreadsAndRefusesTheNext) {
  auto full = explore("full", [] { workers(static_cast<int>(max_threads) - 1, true); }, {.schedules = 2});
  EXPECT_EQ(full.result, verdict::clean) << (full.findings.empty() ? "" : full.findings.front().message);
  auto over = explore("over", [] { workers(static_cast<int>(max_threads), true); }, {.schedules = 1});
  ASSERT_EQ(over.result, verdict::crash);
  EXPECT_EQ(over.findings.front().message, fmt::format("more than {} threads in one execution", max_threads));
}

TEST(Explorer, FindsReplaysAndReproduces) {
  auto r = explore("racy", racy_counter, {});
  EXPECT_EQ(r.result, verdict::data_race);
  EXPECT_TRUE(r.reproduced);
  EXPECT_FALSE(r.replay.empty());
  EXPECT_FALSE(r.history.empty());
  EXPECT_EQ(r.threads.size(), 3u);
}

TEST(Explorer, CleanRunMeasuresOverEveryExecution) {
  for (std::uint64_t jobs : {1u, 2u}) {
    auto r = explore("timed", [] {
      lab::thread a([] { lab::this_thread::work(std::chrono::milliseconds(2)); });
      auto start = lab::now();
      lab::this_thread::sleep_for(std::chrono::milliseconds(1));
      lab::record_latency("nap", lab::now() - start);
      a.join();
    }, {.schedules = 40, .jobs = jobs});
    ASSERT_EQ(r.result, verdict::clean);
    EXPECT_EQ(r.measured_executions, 40u);
    ASSERT_EQ(r.measurements.size(), 1u);
    EXPECT_EQ(r.measurements[0].count, 40u) << jobs << " job(s)";
    EXPECT_EQ(r.measurements[0].p50_ns, 1'000'000u) << "virtual time: exactly the sleep";
  }
}

TEST(Explorer, TokenReplaysTheSameFinding) {
  for (const char* strategy : {"random", "pct"}) {
    auto r = explore("rare", rare_bug, {.strategy = strategy, .schedules = 5000, .seed = 3});
    ASSERT_EQ(r.result, verdict::assertion_failed) << strategy;
    std::string error;
    auto token = decode_token(r.replay, error);
    ASSERT_TRUE(token) << error;
    EXPECT_EQ(token->scenario, "rare");
    EXPECT_EQ(token->execution, r.schedule);
    auto again = replay(*token, rare_bug, {});
    EXPECT_TRUE(again.reproduced);
    EXPECT_EQ(again.result, r.result);
    ASSERT_EQ(again.findings.size(), 1u);
    EXPECT_EQ(again.findings[0].step, r.findings[0].step);
    EXPECT_EQ(again.findings[0].loc.line(), r.findings[0].loc.line());
    EXPECT_EQ(again.history.size(), r.history.size());
  }
}

TEST(Explorer, ReplayOfAnotherProgramDiverges) {
  auto r = explore("rare", rare_bug, {.schedules = 5000});
  ASSERT_NE(r.result, verdict::clean);
  std::string error;
  auto token = decode_token(r.replay, error);
  auto other = replay(*token, [] {
    lab::atomic<int> n{0};
    lab::thread a([&] { for (int i = 0; i < 20; ++i) n.fetch_add(1); });
    for (int i = 0; i < 20; ++i) n.fetch_add(1);
    a.join();
  }, {});
  EXPECT_FALSE(other.reproduced);
  EXPECT_FALSE(other.note.empty());
}

TEST(Explorer, SameSeedSameResult) {
  auto a = explore("rare", rare_bug, {.schedules = 5000, .seed = 9});
  auto b = explore("rare", rare_bug, {.schedules = 5000, .seed = 9});
  EXPECT_EQ(a.schedule, b.schedule);
  EXPECT_EQ(a.replay, b.replay);
}

TEST(Explorer, ParallelJobsGiveTheSameFirstFindingAsOne) {
  auto one = explore("rare", rare_bug, {.schedules = 5000, .seed = 4, .jobs = 1});
  auto four = explore("rare", rare_bug, {.schedules = 5000, .seed = 4, .jobs = 4});
  ASSERT_EQ(one.result, verdict::assertion_failed);
  EXPECT_EQ(four.result, one.result);
  EXPECT_EQ(four.schedule, one.schedule);
  EXPECT_EQ(four.replay, one.replay);
}

TEST(Explorer, CleanProgramRunsTheWholeBudget) {
  auto r = explore("fine", [] {
    lab::shared<int> x{0};
    lab::mutex m;
    lab::thread a([&] { lab::lock_guard g(m); x = x + 1; });
    { lab::lock_guard g(m); x = x + 1; }
    a.join();
  }, {.schedules = 777, .jobs = 2});
  EXPECT_EQ(r.result, verdict::clean);
  EXPECT_EQ(r.stats.executions, 777u);
  EXPECT_TRUE(r.replay.empty());
}

// A lock-order inversion that never deadlocks (the second pair runs after the first finished)
// is reported as the potential deadlock it is.
TEST(Explorer, PotentialDeadlockReportedWhenNothingDefiniteTurnsUp) {
  auto r = explore("inversion", [] {
    lab::mutex a{"a"}, b{"b"};
    lab::thread t1([&] { lab::lock_guard x(a); lab::lock_guard y(b); });
    t1.join();
    lab::thread t2([&] { lab::lock_guard y(b); lab::lock_guard x(a); });
    t2.join();
  }, {.schedules = 100});
  EXPECT_EQ(r.result, verdict::lock_order_inversion);
  EXPECT_TRUE(r.reproduced);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].edges.size(), 2u);
}

}  // namespace explorer_test
}  // namespace lab

namespace lab {
namespace explorer_test {

TEST(Explorer, InterruptedRunSaysWhatItFoundSoFar) {
  int executions = 0;
  auto r = explore("long", [&] {
    if (++executions == 50) request_stop();  // as a SIGINT handler would, mid-exploration
    lab::atomic<int> n{0};
    lab::thread t([&] { n.fetch_add(1); });
    t.join();
  }, {.schedules = 1'000'000});
  clear_stop();
  EXPECT_EQ(r.result, verdict::clean);
  EXPECT_EQ(r.stats.executions, 50u);
  EXPECT_NE(r.note.find("interrupted after 50 of 1000000 executions"), std::string::npos) << r.note;
}

}  // namespace explorer_test
}  // namespace lab

namespace lab {
namespace explorer_test {

// Regression: a thread preempted at the unlock in a lock_guard's destructor, resumed only to be
// unwound after another thread's finding, must not throw from that destructor (std::terminate).
TEST(Explorer, UnwindingNeverThrowsFromDestructors) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    auto r = explore("dcl", [] {
      lab::shared<bool> ready{false};
      lab::mutex m;
      auto get = [&] {
        if (!ready.load()) {
          lab::lock_guard hold(m);
          if (!ready.load()) ready = true;
        }
      };
      lab::thread a(get), b(get);
      a.join();
      b.join();
    }, {.schedules = 100, .seed = seed});
    ASSERT_EQ(r.result, verdict::data_race) << "seed " << seed;
  }
}

}  // namespace explorer_test
}  // namespace lab

namespace lab {
namespace explorer_test {

// A std::thread started inside a model runs where the lab does not schedule it: its use of a
// lab primitive is reported, never a clean verdict over it.
TEST(Explorer, ARealThreadInsideTheModelIsReportedNotCleared) {
  auto r = explore("foreign", [] {
    lab::mutex m;
    std::thread real([&] {
      m.lock();
      m.unlock();
    });
    real.join();
  }, {.schedules = 20});
  EXPECT_EQ(r.result, verdict::crash);
  ASSERT_EQ(r.findings.size(), 1u);
  // Noticed at its start where pthread_create is interposed, else at its use of the mutex.
  const std::string& said = r.findings[0].message;
  EXPECT_TRUE(said.find("OS thread was started") != std::string::npos || said.find("lab::thread") != std::string::npos)
      << said;
  EXPECT_NE(r.note.find("lab::thread"), std::string::npos) << r.note;
  // and a model with lab::thread only is clean afterwards: the flag belongs to that exploration
  auto clean = explore("own", [] {
    lab::mutex m;
    lab::thread t([&] { lab::lock_guard g(m); });
    t.join();
  }, {.schedules = 20});
  EXPECT_EQ(clean.result, verdict::clean);
}

// Two std::threads incrementing a plain int: no lab primitive at all, yet never "clean" - the
// OS thread's start is noticed (pthread_create) and named with the line before it.
TEST(Explorer, AnOSThreadOnPlainMemoryInsideTheModelIsNotClean) {
  if (!rt::os_threads_noticed()) GTEST_SKIP() << "the sanitizer builds do not interpose pthread_create";
  for (const char* strategy : {"random", "dpor"}) {
    int x = 0;
    auto r = explore("os-threads", [&] {
      x = 0;
      lab::atomic<int> before{0};
      before.store(1);  // the line the finding names
      std::thread a([&] { ++x; }), b([&] { ++x; });
      a.join();
      b.join();
    }, {.strategy = strategy, .schedules = 50});
    EXPECT_EQ(r.result, verdict::crash) << strategy;
    ASSERT_EQ(r.findings.size(), 1u) << strategy;
    const std::string& m = r.findings[0].message;
    EXPECT_NE(m.find("OS thread was started"), std::string::npos) << m;
    EXPECT_NE(m.find("explorer_test.cpp:" + std::to_string(__LINE__ - 9)), std::string::npos) << m;
    EXPECT_EQ(r.note.find("verified"), std::string::npos) << r.note;
  }
  // Outside an exploration std::thread is nobody's business, and the next exploration is clean.
  std::thread outside([] {});
  outside.join();
  auto clean = explore("own", [] {
    lab::thread t([] {});
    t.join();
  }, {.schedules = 5});
  EXPECT_EQ(clean.result, verdict::clean);
}

// Which store a load reads is not explored yet for orders weaker than seq_cst: the report says
// so, clean or not.
TEST(Explorer, WeakerOrdersAreNamedInTheReport) {
  auto weak = explore("weak", [] {
    lab::atomic<int> a{0};
    lab::thread t([&] { a.store(1, std::memory_order_release); });
    (void)a.load(std::memory_order_acquire);
    t.join();
  }, {.schedules = 20});
  EXPECT_EQ(weak.result, verdict::clean);
  EXPECT_NE(weak.note.find("explored under C++'s memory model (RC11)"), std::string::npos)
      << weak.note;
  auto strong = explore("strong", [] {
    lab::atomic<int> a{0};
    lab::thread t([&] { a.store(1); });
    (void)a.load();
    t.join();
  }, {.schedules = 20});
  EXPECT_EQ(strong.note.find("weak"), std::string::npos) << strong.note;
}

// A lab::thread made inside the standard library (emplace_back) is reported as created at the
// parent's last line in the project, never at <bits/stl_construct.h>.
TEST(Explorer, ACreationSiteIsNeverASystemHeader) {
  auto r = explore("vector", [] {
    lab::shared<int> x{0, "x"};
    std::vector<lab::thread> threads;
    x = 1;  // the parent's last operation in our code before the spawns
    for (int i = 0; i < 2; ++i) threads.emplace_back([&] { x = x + 1; });
    for (auto& t : threads) t.join();
  }, {.schedules = 20});
  ASSERT_EQ(r.result, verdict::data_race);
  ASSERT_GE(r.threads.size(), 3u);
  for (std::size_t t = 1; t < r.threads.size(); ++t) {
    std::string_view file = r.threads[t].created_at.file_name();
    EXPECT_FALSE(file.starts_with("/")) << "T" << t << " created at " << file;
    EXPECT_TRUE(file.ends_with("explorer_test.cpp")) << file;
  }
}

// A project outside the lab's tree (CMake hands the compiler absolute paths): its own lines are
// the creation sites, not "?" - an absolute path is not a system header. The #line below makes
// this file's next lines such a project's.
void outside_project_body() {
#line 10 "/home/someone/project/src/main.cpp"
  lab::shared<int> x{0, "x"};
  lab::thread a([&] { x = x + 1; });
  lab::thread b([&] { x = x + 1; });
  a.join();
  b.join();
}
#line 338 "tests/harness/explore/explorer_test.cpp"

TEST(Explorer, ACreationSiteInAProjectAnywhereOnDiskKeepsItsLine) {
  auto r = explore("outside", outside_project_body, {.schedules = 20});
  ASSERT_EQ(r.result, verdict::data_race);
  ASSERT_GE(r.threads.size(), 3u);
  EXPECT_STREQ(r.threads[1].created_at.file_name(), "/home/someone/project/src/main.cpp");
  EXPECT_EQ(r.threads[1].created_at.line(), 11u);
  EXPECT_EQ(r.threads[2].created_at.line(), 12u);
}

TEST(Explorer, OptionsOutOfRangeAreBadInput) {
  EXPECT_THROW(explore("x", [] {}, {.schedules = 0}), std::invalid_argument);
  EXPECT_THROW(explore("x", [] {}, {.depth = 0}), std::invalid_argument);
  EXPECT_THROW(explore("x", [] {}, {.stall_ms = 1e-9}), std::invalid_argument);
  EXPECT_NO_THROW(explore("x", [] {}, {.schedules = 1, .stall_ms = 0}));
}

// A failing model() prints a replay line that works for the user's own test binary, and
// CONLAB_REPLAY brings the same execution back.
TEST(Model, TheReplayLineNamesThisTestAndReplays) {
  auto body = [] {
    lab::shared<int> x{0, "x"};
    lab::thread a([&] { x = 1; });
    x = 2;
    a.join();
  };
  run_report first = detail::explore_in_test(body, {.schedules = 20});
  ASSERT_EQ(first.result, verdict::data_race);
  EXPECT_NE(first.replay_command.find("CONLAB_REPLAY=" + first.replay), std::string::npos) << first.replay_command;
  EXPECT_NE(first.replay_command.find("--gtest_filter=Model.TheReplayLineNamesThisTestAndReplays"), std::string::npos);
  EXPECT_NE(reports::render_text(first).find("Replay: CONLAB_REPLAY="), std::string::npos);
  ::setenv("CONLAB_REPLAY", first.replay.c_str(), 1);
  run_report again = detail::explore_in_test(body, {.schedules = 20});
  ::unsetenv("CONLAB_REPLAY");
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.result, verdict::data_race);
  EXPECT_EQ(again.findings.at(0).step, first.findings.at(0).step);
}

TEST(Model, ExpectVerdictTakesASetOfVerdicts) {
  expect_verdict({verdict::deadlock, verdict::lost_wakeup}, [] {
    lab::mutex m;
    lab::condition_variable cv;
    lab::unique_lock lk(m);
    cv.wait(lk);  // nobody notifies
  }, {.spurious = 0.0});
}

// The "auto" plan: dpor first; verified when it ends, else random and pct with the budget each.
TEST(AutoPlan, VerifiesAFiniteProgramWithDporAlone) {
  run_report r = explore("locked", [] { workers(3, true); }, {.strategy = "auto", .schedules = 1000});
  EXPECT_EQ(r.result, verdict::clean);
  EXPECT_TRUE(r.stats.exhaustive);
  EXPECT_EQ(r.strategy, "dpor");
  EXPECT_EQ(r.stats.classes, 6u) << "three critical sections in 3! orders";
  EXPECT_EQ(r.note.rfind("verified:", 0), 0u) << r.note;
}

TEST(AutoPlan, SamplesWhatDporCannotFinishAndSaysSo) {
  auto spin = [] {
    lab::atomic<bool> go{false};
    lab::thread t([&] {
      while (!go.load()) {
      }
    });
    go.store(true);
    t.join();
  };
  run_report r = explore("spin", spin, {.strategy = "auto", .schedules = 40, .max_steps = 300, .livelock_steps = 0});
  EXPECT_EQ(r.result, verdict::clean);
  EXPECT_FALSE(r.stats.exhaustive);
  EXPECT_EQ(r.strategy, "auto");
  EXPECT_EQ(r.note.rfind("sampled: no finding in ", 0), 0u) << r.note;
  EXPECT_NE(r.note.find("nor in 80 more executions (40 random and 40 pct)"), std::string::npos) << r.note;
  EXPECT_GT(r.stats.executions, 80u) << "dpor's executions count too";
}

TEST(AutoPlan, AFindingIsDporsAndMinimised) {
  run_report r = explore("rare", rare_bug, {.strategy = "auto"});
  EXPECT_EQ(r.result, verdict::assertion_failed);
  EXPECT_EQ(r.strategy, "dpor");
  EXPECT_TRUE(r.minimal);
}

TEST(Model, WithoutOptionsVerifiesWithDpor) {
  run_report r = model([] { workers(2, true); });
  EXPECT_TRUE(r.stats.exhaustive) << r.note;
  EXPECT_EQ(r.stats.classes, 2u);
}

// dpor --jobs N splits the tree between OS threads as --shard splits it between machines.
TEST(Explorer, DporJobsSplitTheTreeAndVerifyTogether) {
  run_report one = explore("locked", [] { workers(4, true); }, {.strategy = "dpor", .schedules = 100000});
  run_report two = explore("locked", [] { workers(4, true); }, {.strategy = "dpor", .schedules = 100000, .jobs = 2});
  ASSERT_TRUE(one.stats.exhaustive);
  EXPECT_EQ(one.stats.classes, 24u) << "4 critical sections in 4! orders";
  EXPECT_TRUE(two.stats.exhaustive) << two.note;
  EXPECT_GE(two.stats.classes, 24u) << "the split points may explore a class once per prefix, never miss one";
  run_report bug = explore("rare", rare_bug, {.strategy = "dpor", .jobs = 2});
  EXPECT_EQ(bug.result, verdict::assertion_failed);
  EXPECT_TRUE(bug.reproduced);
  EXPECT_FALSE(bug.stats.exhaustive);
}

}  // namespace explorer_test
}  // namespace lab
