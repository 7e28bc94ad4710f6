// Golden ("approved") outputs: compare with tests/reports/golden/NAME, or rewrite it when the
// environment has CONLAB_APPROVE=1 (tests/reports/approve.sh does that).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace lab::test {

inline void expect_golden(const std::string& name, const std::string& actual) {
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
