#include "reports/markdown.h"

#include <gtest/gtest.h>

#include "scenarios/failure_modes.h"
#include "tests/support/golden.h"
#include "tests/support/lab_report.h"

namespace lab {
namespace markdown_test {

using test::catalog_report;

TEST(MarkdownReport, IndexMatchesItsGolden) {
  test::expect_golden("pages/index.md", reports::render_index_markdown(catalog_report()), true);
}

TEST(MarkdownReport, EveryScenarioPageMatchesItsGolden) {
  const auto& r = catalog_report();
  for (const auto& s : r.scenarios) test::expect_golden("pages/" + s.name + ".md", reports::render_scenario_markdown(r, s));
}

// Issue 6's bar: the index covers every failure mode of the table that has scenarios,
// and every scenario under it links to its page.
TEST(MarkdownReport, IndexCoversEveryFailureModeWithScenarios) {
  std::string md = reports::render_index_markdown(catalog_report());
  for (const auto& m : failure_modes()) {
    std::string row = "| " + std::to_string(m.number) + " | " + std::string(m.title) + " |";
    EXPECT_NE(md.find(row), std::string::npos) << row;
    for (const scenario* s : variants_of(m)) {
      std::string link = "[" + std::string(s->name) + "](scenarios/" + std::string(s->name) + ".md)";
      EXPECT_NE(md.find(link), std::string::npos) << link;
    }
  }
  EXPECT_NE(md.find("conlab replay conlab1:"), std::string::npos);
}

TEST(MarkdownReport, EveryBrokenVariantIsARowWithItsVerdictAndReplay) {
  const auto& r = catalog_report();
  std::string md = reports::render_index_markdown(r);
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants) {
      if (v.expected == verdict::clean) continue;
      std::string cell = "(scenarios/" + s.name + ".md) " + v.variant + " |";
      auto at = md.find(cell);
      ASSERT_NE(at, std::string::npos) << cell;
      std::string row = md.substr(at, md.find('\n', at) - at);
      EXPECT_NE(row.find("(expected `" + std::string(to_string(v.expected)) + "`)"), std::string::npos) << row;
      EXPECT_NE(row.find(reports::replay_command(v)), std::string::npos) << row;
    }
}

TEST(MarkdownReport, ScenarioPageTellsTheStoryInOrder) {
  const auto& r = catalog_report();
  for (const auto& s : r.scenarios) {
    if (s.name != "lock_order_inversion") continue;
    std::string md = reports::render_scenario_markdown(r, s);
    auto broken = md.find("## broken: what goes wrong"), fix = md.find(": the fix"), fared = md.find("## How each detector fared");
    ASSERT_NE(broken, std::string::npos);
    ASSERT_NE(fix, std::string::npos);
    EXPECT_LT(broken, fix);
    EXPECT_LT(fix, fared);
    EXPECT_NE(md.find("Cycle in the wait-for graph"), std::string::npos) << "the text report's cycle";
    EXPECT_NE(md.find("(Tyika, Conquering the Chaos of Concurrent Programming in Python)"), std::string::npos)
        << "the documents' warning, cited by author and title";
    EXPECT_EQ(md.find("seeds/"), std::string::npos) << "never by a file path";
  }
}

TEST(MarkdownReport, TableCellsKeepTheirRow) {
  reports::lab_report r = catalog_report();
  r.modes[0].warnings[0].quote = "a | b\nc";
  std::string md = reports::render_index_markdown(r);
  EXPECT_NE(md.find("\"a \\| b c\""), std::string::npos);
}

TEST(MarkdownReport, TerminalTextHasColourOnlyWhenAsked) {
  std::string plain = reports::render_index_text(catalog_report(), false);
  std::string coloured = reports::render_index_text(catalog_report(), true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[32mok  \x1b[0m"), std::string::npos);
  EXPECT_NE(plain.find("report: "), std::string::npos);
  EXPECT_NE(plain.find(" 0 failed"), std::string::npos) << plain;
}

}  // namespace markdown_test
}  // namespace lab
