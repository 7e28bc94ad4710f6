// Golden ("approved") outputs: compare with tests/reports/golden/NAME, or rewrite it when the
// environment has CONLAB_APPROVE=1 (tests/reports/approve.sh does that). Goldens are approved from
// the default compiler, g++: under clang++ the comparison is skipped, because clang++ places a
// coroutine's std::source_location at the coroutine's name and g++ at its closing brace, a
// default-argument location of a constructor call spread over lines at another of its lines, and
// the two spell signatures and system-header paths differently
// (tests/harness/detect/task_lifecycle_test.cpp checks both spellings of coroutine names shorten
// alike). An output free of all of these says so and is compared under both (the index page).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lab::test {

/// `any_compiler`: the output holds no source location that depends on the compiler, so it is
/// compared under clang++ too.
inline void expect_golden(const std::string& name, const std::string& actual,
                          [[maybe_unused]] bool any_compiler = false) {
#if defined(__clang__)
  if (!any_compiler) GTEST_SKIP() << "goldens are approved from g++ builds (source locations differ under clang++)";
#endif
  std::string path = std::string(CONLAB_SOURCE_DIR) + "/tests/reports/golden/" + name;
  if (const char* a = std::getenv("CONLAB_APPROVE"); a && std::string(a) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "no golden " << path << " (run tests/reports/approve.sh)";
  std::stringstream want;
  want << in.rdbuf();
  if (actual == want.str()) return;
  // The first differing line with a little context, not EXPECT_EQ's whole-text diff: that diff is
  // quadratic in the lines, and a golden of 18,000 lines took 13 GB under ThreadSanitizer.
  std::istringstream a(actual), w(want.str());
  std::string la, lw;
  std::vector<std::string> before;
  int line = 1;
  for (;; ++line) {
    bool ga = static_cast<bool>(std::getline(a, la)), gw = static_cast<bool>(std::getline(w, lw));
    if (!ga && !gw) break;
    if (!ga || !gw || la != lw) {
      if (!ga) la = "(end of output)";
      if (!gw) lw = "(end of golden)";
      break;
    }
    before.push_back(la);
    if (before.size() > 3) before.erase(before.begin());
  }
  std::string context;
  for (const auto& b : before) context += "    " + b + "\n";
  ADD_FAILURE() << "golden " << name << " differs at line " << line << ":\n"
                << context << "  - " << lw << "\n  + " << la << "\n"
                << "if the change is intended, run tests/reports/approve.sh and review the diff";
}

}  // namespace lab::test
