// Golden ("approved") outputs: compare with tests/reports/golden/NAME, or rewrite it when the
// environment has CONLAB_APPROVE=1 (tests/reports/approve.sh does that). Goldens are approved from
// the default compiler, g++: under clang++ the comparison is skipped, because clang++ places a
// coroutine's std::source_location at the coroutine's name and g++ at its closing brace, and the
// two spell function signatures differently (so coroutine lines and raw names differ, nothing
// else; tests/harness/detect/task_lifecycle_test.cpp checks both spellings shorten alike).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace lab::test {

inline void expect_golden(const std::string& name, const std::string& actual) {
#if defined(__clang__)
  GTEST_SKIP() << "goldens are approved from g++ builds (coroutine locations differ under clang++)";
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
  EXPECT_EQ(actual, want.str()) << "golden " << name << " differs; if the change is intended, run "
                                << "tests/reports/approve.sh and review the diff";
}

}  // namespace lab::test
