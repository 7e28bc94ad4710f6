#include "reports/comparison.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lab::reports {
namespace comparison_test {

comparison sample() {
  comparison c;
  c.detectors = {"sim-pct", "tsan"};
  c.runs = 10;
  c.fixed_runs = 20;
  c.schedules = 1000;
  c.run_timeout_s = 5;
  c.jitter = 0.3;
  comparison_row broken{.scenario = "lost_update", .variant = "broken", .failure_mode = "race", .expected = "data_race"};
  broken.cells.push_back({.detector = "sim-pct", .tries = 3, .limit = 1000, .first = 3, .verdict = "data_race",
                          .source = "sim", .title = "data_race", .where = "scenarios/lost_update/lost_update.cpp:19"});
  broken.cells.push_back({.detector = "tsan", .tries = 1, .limit = 10, .first = 1, .verdict = "data_race",
                          .source = "tsan", .title = "data race | odd"});
  comparison_row hang{.scenario = "self_deadlock", .variant = "broken", .failure_mode = "deadlock", .expected = "deadlock"};
  hang.cells.push_back({.detector = "sim-pct", .tries = 1000, .limit = 1000});
  hang.cells.push_back({.detector = "tsan", .tries = 1, .limit = 10, .first = 1, .verdict = "timeout",
                        .source = "watchdog", .title = "hang"});
  comparison_row fixed{.scenario = "lost_update", .variant = "fixed", .failure_mode = "race", .expected = "clean"};
  fixed.cells.push_back({.detector = "sim-pct", .tries = 1000, .limit = 1000});
  fixed.cells.push_back({.detector = "tsan", .tries = 4, .limit = 20, .first = 4, .verdict = "data_race",
                         .source = "tsan", .title = "data race"});
  comparison_row missing{.scenario = "x", .variant = "fixed", .failure_mode = "m", .expected = "clean"};
  missing.cells.push_back({.detector = "sim-pct", .tries = 1000, .limit = 1000});
  missing.cells.push_back({.detector = "tsan", .ran = false, .why_not = "no ThreadSanitizer build"});
  c.rows = {broken, hang, fixed, missing};
  return c;
}

TEST(Summarize, CountsFoundFalseAlarmsAndTheMedian) {
  auto s = summarize(sample());
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].broken_found, 1);
  EXPECT_EQ(s[0].broken_total, 2);
  EXPECT_EQ(s[0].false_alarms, 0);
  EXPECT_EQ(s[0].fixed_total, 2);
  EXPECT_EQ(s[0].median_first, 3.0);
  EXPECT_EQ(s[1].broken_found, 2);
  EXPECT_EQ(s[1].false_alarms, 1);
  EXPECT_EQ(s[1].fixed_total, 1) << "a cell that did not run counts nowhere";
  EXPECT_EQ(s[1].median_first, 1.0);
}

TEST(RenderComparisonMarkdown, CellsSayWhenWhatAndWho) {
  std::string md = render_comparison_markdown(sample());
  EXPECT_NE(md.find("| sim-pct | 1/2 | 3 | 0/2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| lost_update/broken | data_race | 3: data_race | 1: data race \\| odd |"), std::string::npos) << md;
  EXPECT_NE(md.find("| self_deadlock/broken | deadlock | - (1000) | 1: hang (watchdog) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| lost_update/fixed | clean | clean (1000) | **4: data race** |"), std::string::npos) << md;
  EXPECT_NE(md.find("| x/fixed | clean | clean (1000) | n/a |"), std::string::npos) << md;
  EXPECT_NE(md.find("- tsan: no ThreadSanitizer build"), std::string::npos) << md;
}

TEST(RenderComparisonJson, HasTheDocumentedFields) {
  auto j = nlohmann::json::parse(render_comparison_json(sample()));
  EXPECT_EQ(j["detectors"].size(), 2u);
  EXPECT_EQ(j["runs"], 10);
  EXPECT_EQ(j["summary"][1]["false_alarms"], 1);
  const auto& cell = j["rows"][0]["cells"][0];
  EXPECT_EQ(cell["found"], true);
  EXPECT_EQ(cell["first"]["at"], 3);
  EXPECT_EQ(cell["first"]["where"], "scenarios/lost_update/lost_update.cpp:19");
  EXPECT_EQ(j["rows"][3]["cells"][1]["ran"], false);
  EXPECT_EQ(j["rows"][3]["cells"][1]["why_not"], "no ThreadSanitizer build");
  EXPECT_TRUE(j["summary"][0]["median_first"].is_number());
}

}  // namespace comparison_test
}  // namespace lab::reports
