#include "reports/report_folder.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/cli/cli.h"
#include "reports/comparison.h"
#include "tests/support/capture.h"
#include "tests/support/lab_report.h"

namespace lab {
namespace report_folder_test {

TEST(ReportFolder, WritesEveryFileItLists) {
  auto dir = test::fresh_folder("folder");
  const auto& r = test::catalog_report();
  auto written = reports::write_report_folder(r, dir);
  for (const char* f : {"index.md", "index.txt", "report.html", "report.json", "report.sarif"})
    EXPECT_NE(std::find(written.begin(), written.end(), f), written.end()) << f;
  std::size_t variants = 0, traces = 0;
  for (const auto& s : r.scenarios) {
    EXPECT_TRUE(std::filesystem::exists(dir / "scenarios" / (s.name + ".md"))) << s.name;
    for (const auto& v : s.variants) {
      ++variants;
      traces += v.shown.findings.empty() ? 0 : 1;
    }
  }
  EXPECT_EQ(written.size(), 5 + r.scenarios.size() + 2 * variants + traces);
  for (const auto& f : written) EXPECT_GT(std::filesystem::file_size(dir / f), 0u) << f;
  std::filesystem::remove_all(dir);
}

TEST(ReportFolder, ReadsBackWhatCompareWrote) {
  reports::comparison c{.detectors = {"sim-random", "tsan"}, .runs = 10, .fixed_runs = 20, .schedules = 1000,
                        .run_timeout_s = 5, .jitter = 0.3, .machine = "2 cores"};
  c.rows.push_back({"lost_update", "broken", "data race", "data_race",
                    {{.detector = "sim-random", .tries = 1, .limit = 1000, .first = 1, .verdict = "data_race", .source = "sim",
                      .title = "data race", .where = "scenarios/lost_update/lost_update.cpp:19"},
                     {.detector = "tsan", .ran = false, .why_not = "no tsan build"}}});
  auto back = reports::parse_comparison_json(reports::render_comparison_json(c));
  EXPECT_EQ(back.detectors, c.detectors);
  EXPECT_EQ(back.machine, "2 cores");
  ASSERT_EQ(back.rows.size(), 1u);
  ASSERT_EQ(back.rows[0].cells.size(), 2u);
  EXPECT_EQ(back.rows[0].cells[0].first, 1u);
  EXPECT_EQ(back.rows[0].cells[0].where, "scenarios/lost_update/lost_update.cpp:19");
  EXPECT_FALSE(back.rows[0].cells[1].ran);
  EXPECT_EQ(back.rows[0].cells[1].why_not, "no tsan build");
  EXPECT_THROW(reports::parse_comparison_json("not json"), std::invalid_argument);
  EXPECT_THROW(reports::parse_comparison_json("{\"detectors\": []}"), std::invalid_argument);
}

TEST(ReportFolder, MergesTheComparisonIntoItsVariants) {
  reports::comparison c{.detectors = {"tsan"}, .runs = 10, .fixed_runs = 20, .schedules = 100, .machine = "2 cores"};
  c.rows.push_back({"lost_update", "broken", "", "data_race",
                    {{.detector = "tsan", .tries = 1, .limit = 10, .first = 1, .verdict = "data_race", .source = "tsan",
                      .title = "data race"}}});
  const scenario* s = find_scenario("lost_update/broken");
  auto r = reports::build_lab_report({s}, {.schedules = 50}, CONLAB_SOURCE_DIR, &c, nullptr);
  ASSERT_EQ(r.scenarios.size(), 1u);
  const auto& v = r.scenarios[0].variants[0];
  ASSERT_EQ(v.detectors.size(), 1u);
  auto found = reports::found_by(v);
  EXPECT_NE(std::find(found.begin(), found.end(), "tsan"), found.end());
  EXPECT_NE(r.comparison_note.find("10 run(s) per broken variant"), std::string::npos);
}

TEST(ReportCommand, WritesTheFolderAndSaysWhere) {
  auto dir = test::fresh_folder("cmd");
  auto [code, out, err] = test::run_cli({"report", "lost_update", "--schedules", "50", "--out", dir.string()});
  EXPECT_EQ(code, 0) << err;
  EXPECT_NE(out.find("report: 3 passed, 0 failed"), std::string::npos) << out;
  EXPECT_NE(out.find("open index.md"), std::string::npos) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << "no colour when not a terminal";
  EXPECT_TRUE(std::filesystem::exists(dir / "report.html"));
  EXPECT_TRUE(std::filesystem::exists(dir / "traces" / "lost_update.broken.trace.json"));
  std::filesystem::remove_all(dir);
}

// The report folder is conlab's: a folder with someone else's files is refused (unless --force),
// and a report replaces its own older pages - a smaller report leaves nothing stale.
TEST(ReportCommand, WritesOnlyIntoItsOwnFolder) {
  auto dir = test::fresh_folder("own");
  std::ofstream(dir / "precious.txt") << "not conlab's";
  auto refused = test::run_cli({"report", "lost_update", "--schedules", "20", "--out", dir.string()});
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "index.md")) << "nothing written before the refusal";
  auto forced = test::run_cli({"report", "lost_update", "--schedules", "20", "--out", dir.string(), "--force"});
  EXPECT_EQ(forced.code, 0) << forced.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "precious.txt")) << "--force writes beside, never removes, other files";
  std::filesystem::remove_all(dir);

  auto mine = test::fresh_folder("mine");
  ASSERT_EQ(test::run_cli({"report", "lost_update", "lost_wakeup", "--schedules", "20", "--out", mine.string()}).code, 0);
  EXPECT_TRUE(std::filesystem::exists(mine / "scenarios" / "lost_wakeup.md"));
  auto again = test::run_cli({"report", "lost_update", "--schedules", "20", "--out", mine.string()});
  EXPECT_EQ(again.code, 0) << again.err << "\na folder of its own is taken again";
  EXPECT_FALSE(std::filesystem::exists(mine / "scenarios" / "lost_wakeup.md")) << "the old report's page is gone";
  EXPECT_TRUE(std::filesystem::exists(mine / "scenarios" / "lost_update.md"));
  std::filesystem::remove_all(mine);
}

TEST(ReportCommand, BadInputIsOneLineAndExitTwo) {
  auto dir = test::fresh_folder("bad");
  std::ofstream(dir / "bad.json") << "{";
  for (std::vector<std::string> args : {std::vector<std::string>{"report", "--comparison", (dir / "missing.json").string()},
                                        {"report", "--comparison", (dir / "bad.json").string()},
                                        {"report", "no_such_scenario"},
                                        {"report", "lost_update", "--schedules", "5", "--out", "/proc/conlab-cannot-write"}}) {
    auto [code, out, err] = test::run_cli(args);
    EXPECT_EQ(code, 2) << args.back() << "\n" << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_TRUE(err.starts_with("conlab: ")) << err;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace report_folder_test
}  // namespace lab
