#include "scenarios/failure_modes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace lab {
namespace failure_modes_test {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

TEST(FailureModes, EveryVariantIllustratesARow) {
  for (const auto& s : catalog())
    EXPECT_NE(find_failure_mode(s.failure_mode), nullptr) << s.full_name() << ": '" << s.failure_mode << "'";
}

TEST(FailureModes, EveryRowButDebuggingHasABrokenAndAFixedVariant) {
  for (const auto& m : failure_modes()) {
    auto vs = variants_of(m);
    if (m.number == 11) {
      EXPECT_TRUE(vs.empty()) << "served by every report";
      continue;
    }
    EXPECT_TRUE(std::any_of(vs.begin(), vs.end(), [](const scenario* s) { return s->expected != verdict::clean; }))
        << m.title;
    EXPECT_TRUE(std::any_of(vs.begin(), vs.end(), [](const scenario* s) { return s->expected == verdict::clean; }))
        << m.title;
    EXPECT_FALSE(m.warnings.empty()) << m.title;
  }
}

// The table here against ../shared/FAILURE_MODES.md, where that copy is beside the sources (CI
// has it): same rows, same titles, the quotes are the table's, every scenario it names is in
// the catalog under its row.
TEST(FailureModes, MatchTheSharedTable) {
  auto path = std::filesystem::path(CONLAB_SOURCE_DIR) / ".." / "shared" / "FAILURE_MODES.md";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << path << " is not beside the sources";
  std::map<int, std::string> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 4 || line[0] != '|' || !std::isdigit(static_cast<unsigned char>(line[2]))) continue;
    rows[std::stoi(line.substr(2))] = line;
  }
  const auto shared_rows = std::count_if(failure_modes().begin(), failure_modes().end(),
                                         [](const failure_mode& m) { return !m.lab_row; });
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(shared_rows));
  for (const auto& m : failure_modes()) {
    if (m.lab_row) {  // the lab's own rows come after the table's and are not in it
      EXPECT_FALSE(rows.contains(m.number)) << m.number;
      EXPECT_GT(m.number, static_cast<int>(rows.size())) << m.title;
      continue;
    }
    ASSERT_TRUE(rows.contains(m.number)) << m.number;
    const std::string& row = rows[m.number];
    EXPECT_NE(lower(row).find("| " + lower(m.title) + " |"), std::string::npos) << m.title << "\n" << row;
    for (const auto& w : m.warnings) {
      EXPECT_NE(row.find(std::string(w.quote)), std::string::npos) << w.quote;
      // The shared table numbers the documents 000-003, in the order of source_documents().
      const auto& docs = source_documents();
      auto at_doc = std::find(docs.begin(), docs.end(), w.document);
      ASSERT_NE(at_doc, docs.end()) << w.document << " is not one of the source documents";
      std::string number = "00" + std::to_string(at_doc - docs.begin()) + " ";
      EXPECT_NE(row.find(number), std::string::npos) << w.document << " (" << number << ")";
    }
    // Every `name` in the scenarios column (the 5th cell) is a scenario of this row.
    std::size_t cell = 0, at = 0;
    for (int i = 0; i < 4 && at != std::string::npos; ++i) at = row.find('|', at + 1);
    cell = at;
    std::string scenarios = row.substr(cell, row.find('|', cell + 1) - cell);
    for (std::size_t b = scenarios.find('`'); b != std::string::npos; b = scenarios.find('`', b + 1)) {
      auto e = scenarios.find('`', b + 1);
      std::string name = scenarios.substr(b + 1, e - b - 1);
      b = e;
      bool found = false;
      for (const scenario* s : variants_of(m)) found |= s->name == name;
      EXPECT_TRUE(found) << "row " << m.number << " names '" << name << "', which the catalog lacks under it";
    }
  }
}

}  // namespace failure_modes_test
}  // namespace lab
