// `conlab exercise`: start writes the learner's copy, check builds it for real (the compiler, the
// libraries of this build, ThreadSanitizer) and judges it. Not in the sanitizer builds: the
// learner's program is built with this build's recipe, and an ASan build cannot host TSan.
#include "harness/cli/exercise.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "scenarios/exercises.h"
#include "tests/support/capture.h"

namespace lab {
namespace exercise_test {

namespace fs = std::filesystem;
using test::run_cli;

/// A scratch folder per test, removed after it.
class Exercise : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = fmt::format("conlab-exercise-{}-{}-{}", ::getpid(), info->test_suite_name(), info->name());
    std::replace(name.begin(), name.end(), '/', '_');  // (a parameterised name holds '/')
    dir_ = fs::temp_directory_path() / name;
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string folder(std::string_view name) const { return (dir_ / std::string(name)).string(); }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const fs::path& p, std::string_view text) { std::ofstream(p) << text; }
  fs::path dir_;
};

std::string replay_token_of(const std::string& report) {
  auto at = report.rfind("Replay: conlab replay ");
  if (at == std::string::npos) return {};
  auto token = report.substr(at + 22);
  return token.substr(0, token.find('\n'));
}

/// Runs a command line; its exit status and standard output.
std::pair<int, std::string> shell(const std::string& cmd) {
  std::FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(Exercise, ListNamesEachExerciseWithItsLevelAndFailureMode) {
  auto r = run_cli({"exercise", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const auto& e : exercises()) {
    EXPECT_NE(r.out.find(std::string(e.name)), std::string::npos) << e.name;
    EXPECT_FALSE(e.goal.empty()) << e.name;
    EXPECT_FALSE(e.failure_mode().empty()) << e.name << ": its variant " << e.variant << " is not in the catalog";
  }
  auto j = nlohmann::json::parse(run_cli({"exercise", "list", "--format", "json"}).out);
  ASSERT_EQ(j.size(), exercises().size());
  EXPECT_EQ(j[0]["variant"], std::string(exercises()[0].variant));
}

TEST_F(Exercise, TheUntouchedCopyFailsWithTheReportAndAReplayTheLearnersProgramAccepts) {
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu")}).code, 0);
  EXPECT_EQ(read(dir_ / "lu" / "lost_update.cpp"), std::string(find_exercise("lost_update")->source));
  EXPECT_NE(read(dir_ / "lu" / "README.md").find("x still ends at 2"), std::string::npos);
  auto r = run_cli({"exercise", "check", "lost_update", "--dir", folder("lu")});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL lost_update: the lab found data_race"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tsan       FAIL  native run 1 of 10: data race"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Interleaving of execution"), std::string::npos) << r.out;
  // The token names lost_update/yours: the learner's own program replays it.
  std::string token = replay_token_of(r.out);
  ASSERT_FALSE(token.empty()) << r.out;
  auto [code, replayed] = shell(fmt::format("'{}/lu/build/lab' replay {}", dir_.string(), token));
  EXPECT_EQ(code, 1) << replayed;
  EXPECT_NE(replayed.find("WARNING: conlab: data race (lost_update/yours)"), std::string::npos) << replayed;
  // A second check builds nothing.
  auto again = run_cli({"exercise", "check", "lost_update", "--dir", folder("lu")});
  EXPECT_NE(again.out.find("build      ok    up to date"), std::string::npos) << again.out;
}

TEST_F(Exercise, TheScenariosFixPasses) {
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu"), "--solution"}).code, 0);
  auto r = run_cli({"exercise", "check", "lost_update", "--dir", folder("lu")});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS lost_update: verified"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("10 native runs under ThreadSanitizer, no report"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
}

TEST_F(Exercise, AFixThatRemovesTheThreadsFailsTheInvariantItBreaks) {
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu")}).code, 0);
  write(dir_ / "lu" / "lost_update.cpp", R"cpp(#include "harness/exercise.h"
LAB_EXERCISE(lost_update) {
  lab::shared<int> x{0, "x"};
  x = x + 1;
  x = x + 1;
  lab::assert_that(x.load() == 2, "both increments are counted (x == 2)");
}
)cpp");
  auto r = run_cli({"exercise", "check", "lost_update", "--dir", folder("lu")});
  EXPECT_EQ(r.code, 1) << r.out;
  // Nothing races any more: only the invariant says what is wrong.
  EXPECT_NE(r.out.find("explore    ok    dpor: verified"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL lost_update: the program no longer does its job: two threads still do the increments"),
            std::string::npos)
      << r.out;
  // And the JSON a room's results are collected from says the same.
  auto j = nlohmann::json::parse(run_cli({"exercise", "check", "lost_update", "--dir", folder("lu"), "--format", "json"}).out);
  EXPECT_EQ(j["result"], "fail");
  EXPECT_EQ(j["build"]["up_to_date"], true);
  EXPECT_EQ(j["invariants"][0]["held"], false);
  EXPECT_EQ(j["invariants"][0]["says"], "two threads still do the increments");
  EXPECT_TRUE(j["report"].is_null());
}

TEST_F(Exercise, DeletingTheScenariosOwnCheckFails) {
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu"), "--solution"}).code, 0);
  std::string text = read(dir_ / "lu" / "lost_update.cpp");
  text.erase(text.find("  lab::assert_that"), text.find(");\n}") + 3 - text.find("  lab::assert_that"));
  write(dir_ / "lu" / "lost_update.cpp", text);
  auto r = run_cli({"exercise", "check", "lost_update", "--dir", folder("lu")});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("the check that x == 2 is still there"), std::string::npos) << r.out;
}

TEST_F(Exercise, AFileThatDoesNotCompileFailsWithTheCompilersWords) {
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu")}).code, 0);
  write(dir_ / "lu" / "lost_update.cpp", "#include \"harness/exercise.h\"\nLAB_EXERCISE(lost_update) { undeclared_thing(); }\n");
  auto r = run_cli({"exercise", "check", "lost_update", "--dir", folder("lu")});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("undeclared_thing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL lost_update: your file does not build"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(run_cli({"exercise", "check", "lost_update", "--dir", folder("lu"), "--format", "json"}).out);
  EXPECT_EQ(j["result"], "fail");
  EXPECT_EQ(j["build"]["ok"], false);
}

TEST_F(Exercise, AFileNamedForAnotherExerciseIsOneLineAndExitTwo) {
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu")}).code, 0);
  std::string text = read(dir_ / "lu" / "lost_update.cpp");
  text.replace(text.find("LAB_EXERCISE(lost_update)"), 25, "LAB_EXERCISE(check_then_act)");
  write(dir_ / "lu" / "lost_update.cpp", text);
  auto r = run_cli({"exercise", "check", "lost_update", "--dir", folder("lu")});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.err, "conlab: the file says LAB_EXERCISE(check_then_act), but this is exercise lost_update: name it "
                   "LAB_EXERCISE(lost_update)\n");
}

TEST_F(Exercise, BadInputIsOneLineAndExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"exercise"},
                                        {"exercise", "frobnicate"},
                                        {"exercise", "start"},
                                        {"exercise", "start", "no_such_exercise"},
                                        {"exercise", "check", "lost_update", "--dir", folder("never-started")},
                                        {"exercise", "hint", "lost_update", "--level", "7"},
                                        {"exercise", "pack"},
                                        {"exercise", "list", "lost_update"}}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << args.back() << ": " << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu")}).code, 0);
  auto again = run_cli({"exercise", "start", "lost_update", "--dir", folder("lu")});
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu"), "--force"}).code, 0);
}

TEST_F(Exercise, HintsComeOneMoreEachTime) {
  ASSERT_EQ(run_cli({"exercise", "start", "lost_update", "--dir", folder("lu")}).code, 0);
  const auto all = hints(*find_exercise("lost_update"));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_NE(all[1].find("T2: read x == 0"), std::string::npos) << all[1];  // the README's interleaving
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto r = run_cli({"exercise", "hint", "lost_update", "--dir", folder("lu")});
    EXPECT_NE(r.out.find(fmt::format("hint {} of 3", i + 1)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(all[i]), std::string::npos);
  }
  EXPECT_NE(run_cli({"exercise", "hint", "lost_update", "--dir", folder("lu")}).out.find("hint 3 of 3"), std::string::npos);
  EXPECT_NE(run_cli({"exercise", "hint", "lost_update", "--level", "1"}).out.find("hint 1 of 3"), std::string::npos);
}

TEST_F(Exercise, PackWritesAWorkshopFolder) {
  auto r = run_cli({"exercise", "pack", "--out", folder("room")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string handout = read(dir_ / "room" / "HANDOUT.md");
  EXPECT_NE(handout.find("conlab exercise check NAME"), std::string::npos);
  for (const auto& e : exercises()) {
    EXPECT_NE(handout.find(fmt::format("`{}`", e.name)), std::string::npos) << e.name;
    EXPECT_EQ(read(dir_ / "room" / std::string(e.name) / e.file_name()), std::string(e.source));
    EXPECT_EQ(read(dir_ / "room" / "instructor" / "solutions" / e.file_name()), std::string(e.solution));
  }
  EXPECT_EQ(run_cli({"exercise", "pack", "--out", folder("room")}).code, 2);  // not empty
}

// Every exercise, the whole way: the learner's untouched copy fails, the scenario's fix passes.
class EveryExercise : public Exercise, public ::testing::WithParamInterface<const exercise*> {};

TEST_P(EveryExercise, UntouchedFailsAndTheSolutionPasses) {
  const exercise& e = *GetParam();
  auto broken = run_cli({"exercise", "start", std::string(e.name), "--dir", folder("b")});
  ASSERT_EQ(broken.code, 0) << broken.err;
  auto failed = run_cli({"exercise", "check", std::string(e.name), "--dir", folder("b")});
  EXPECT_EQ(failed.code, 1) << failed.out << failed.err;
  EXPECT_NE(failed.out.find(fmt::format("FAIL {}:", e.name)), std::string::npos) << failed.out;
  ASSERT_EQ(run_cli({"exercise", "start", std::string(e.name), "--dir", folder("f"), "--solution"}).code, 0);
  auto passed = run_cli({"exercise", "check", std::string(e.name), "--dir", folder("f")});
  EXPECT_EQ(passed.code, 0) << passed.out << passed.err;
  EXPECT_NE(passed.out.find(fmt::format("PASS {}:", e.name)), std::string::npos) << passed.out;
}

std::vector<const exercise*> all_exercises() {
  std::vector<const exercise*> v;
  for (const auto& e : exercises()) v.push_back(&e);
  return v;
}

INSTANTIATE_TEST_SUITE_P(Catalog, EveryExercise, ::testing::ValuesIn(all_exercises()),
                         [](const auto& p) { return std::string(p.param->name); });

}  // namespace exercise_test
}  // namespace lab
