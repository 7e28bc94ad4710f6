// The layers of docs/architecture.md as a test: what each folder of the harness library may include.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace layering_test {

namespace fs = std::filesystem;

/// Every `#include "..."` and `#include <...>` of the files of harness/<folder>, with the file
/// that has it.
std::vector<std::pair<std::string, std::string>> includes_of(const std::string& folder) {
  std::vector<std::pair<std::string, std::string>> out;
  fs::path dir = fs::path(CONLAB_SOURCE_DIR) / "harness" / folder;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("#include \"") && !line.starts_with("#include <")) continue;
      auto end = line.find(line[9] == '"' ? '"' : '>', 10);
      out.emplace_back(fs::relative(entry.path(), CONLAB_SOURCE_DIR).string(), line.substr(10, end - 10));
    }
  }
  return out;
}

const std::vector<std::string> library = {"core", "trace", "scheduler", "detect", "runtime", "explore", "sync", "loop"};

TEST(Layering, TheHarnessLibraryIncludesNothingAboveIt) {
  for (const auto& folder : library)
    for (const auto& [file, inc] : includes_of(folder))
      for (const char* above : {"reports/", "scenarios/", "sanitizers/", "harness/cli/", "harness/gtest/"})
        EXPECT_FALSE(inc.starts_with(above)) << file << " includes " << inc;
}

// Each layer may include only the layers below it (and itself).
TEST(Layering, EachLayerIncludesOnlyTheLayersBelowIt) {
  const std::map<std::string, std::vector<std::string>> allowed = {
      {"core", {"core"}},
      {"trace", {"core", "trace"}},
      {"scheduler", {"core", "trace", "scheduler"}},
      {"detect", {"core", "trace", "detect"}},
      // The runtime sees the strategy interface, never a strategy or a detector.
      {"runtime", {"core", "trace", "runtime", "scheduler/strategy.h"}},
      {"sync", {"core", "trace", "runtime", "sync", "scheduler/strategy.h"}},
      {"loop", {"core", "trace", "runtime", "sync", "loop", "scheduler/strategy.h"}},
      {"explore", {"core", "trace", "runtime", "sync", "loop", "scheduler", "detect", "explore"}},
  };
  for (const auto& [folder, ok] : allowed)
    for (const auto& [file, inc] : includes_of(folder)) {
      if (!inc.starts_with("harness/")) continue;
      std::string rest = inc.substr(8);
      bool fine = false;
      for (const auto& a : ok) fine = fine || rest == a || rest.starts_with(a + "/");
      EXPECT_TRUE(fine) << file << " (layer " << folder << ") includes " << inc;
    }
}

TEST(Layering, OnlyTheFiberFileSeesBoostContext) {
  int seen = 0;
  for (const auto& folder : library)
    for (const auto& [file, inc] : includes_of(folder))
      if (inc.starts_with("boost/context")) {
        EXPECT_EQ(file, "harness/runtime/fiber.cpp") << file << " includes " << inc;
        ++seen;
      }
  EXPECT_GE(seen, 1) << "the scan finds angle-bracket includes (fiber.cpp includes Boost.Context)";
}

}  // namespace layering_test
