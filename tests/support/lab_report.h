// Test helper: the lab report of the whole catalog, built once per test program with a fixed
// budget, so that every renderer's test (and its goldens) sees the same deterministic model.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "reports/report_folder.h"
#include "scenarios/catalog.h"

namespace lab::test {

/// Executions per strategy: every broken variant is found well within it (seed 1: by execution
/// 7 at most; the time-to-bug bench: p95 at most 28 over 100 seeds), and 100 keeps the
/// sanitizer builds quick (every test program builds it once).
inline constexpr std::uint64_t report_budget = 100;

inline const reports::lab_report& catalog_report() {
  static const reports::lab_report r = [] {
    std::vector<const scenario*> all;
    for (const auto& s : catalog()) all.push_back(&s);
    auto built = reports::build_lab_report(all, {.schedules = report_budget, .seed = 1}, CONLAB_SOURCE_DIR, nullptr, nullptr);
    for (auto& s : built.scenarios)
      for (auto& v : s.variants) v.shown.stats.elapsed_s = 0;  // the only field that varies between runs
    return built;
  }();
  return r;
}

/// A fresh, empty folder under the system's temporary one.
inline std::filesystem::path fresh_folder(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("conlab-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace lab::test
