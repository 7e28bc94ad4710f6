// The suppression files under sanitizers/: every entry carries its reason (STYLE.md, rule 13).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace suppressions_test {

std::vector<std::string> lines_of(const std::string& file) {
  std::ifstream in(std::string(CONLAB_SOURCE_DIR) + "/sanitizers/" + file);
  EXPECT_TRUE(in.good()) << file;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// True when the comment block just above line `i` (no blank line between) has a "# reason:".
bool has_reason_above(const std::vector<std::string>& lines, std::size_t i) {
  while (i > 0 && lines[i - 1].starts_with("#")) {
    if (lines[i - 1].starts_with("# reason: ")) return true;
    --i;
  }
  return false;
}

TEST(Suppressions, EveryThreadSanitizerSuppressionHasAReason) {
  auto lines = lines_of("tsan.supp");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i].starts_with("#")) continue;
    EXPECT_NE(lines[i].find(':'), std::string::npos) << "not KIND:PATTERN: " << lines[i];
    EXPECT_TRUE(has_reason_above(lines, i)) << "tsan.supp line " << i + 1 << " has no '# reason:' above it";
  }
}

TEST(Suppressions, EveryValgrindSuppressionHasAReasonAndNamesNoScenario) {
  auto lines = lines_of("valgrind.supp");
  int entries = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != "{") continue;
    ++entries;
    EXPECT_TRUE(has_reason_above(lines, i)) << "valgrind.supp entry at line " << i + 1 << " has no '# reason:' above it";
    for (std::size_t j = i + 1; j < lines.size() && lines[j] != "}"; ++j)
      EXPECT_EQ(lines[j].find("scenarios"), std::string::npos)
          << "line " << j + 1 << ": a suppression in a scenario's code would hide its broken variant";
  }
  EXPECT_GT(entries, 0);
}

}  // namespace suppressions_test
