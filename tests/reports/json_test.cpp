#include "reports/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/explore/explorer.h"
#include "scenarios/catalog.h"
#include "tests/support/fixtures.h"
#include "tests/support/golden.h"

namespace lab {
namespace json_test {

// The renderer on a hand-built report: a golden short enough to read.
TEST(JsonReport, AHandBuiltRaceMatchesItsGolden) {
  test::expect_golden("fixtures/race.json", reports::render_json(test::race_fixture()));
}

// The catalog's JSON is checked by its schema (lab_json_test.cpp validates every variant against
// $defs/run) and here by the fields a tool reads: what was found, where, and how to replay it.
TEST(JsonReport, EveryCatalogVariantCarriesItsKeyFields) {
  for (const auto& s : catalog()) {
    // Under the strategy that finds it (random, unless the variant says only PCT can).
    std::string strategy = s.found_by.empty() ? "random" : std::string(s.found_by);
    run_report r = explore(s.full_name(), s.body, {.strategy = strategy, .schedules = 300});
    auto j = nlohmann::json::parse(reports::render_json(r));
    SCOPED_TRACE(s.full_name());
    EXPECT_EQ(j["scenario"], s.name);
    EXPECT_EQ(j["variant"], s.variant);
    EXPECT_EQ(j["backend"], "sim");
    EXPECT_EQ(j["verdict"], to_string(s.expected));
    EXPECT_EQ(j["stats"]["executions"], r.stats.executions);
    if (s.expected == verdict::clean) {
      EXPECT_EQ(j["replay"], "");
      EXPECT_TRUE(j["findings"].empty());
      EXPECT_EQ(j["stats"]["executions"], 300);
      continue;
    }
    EXPECT_TRUE(j["replay"].get<std::string>().starts_with("conlab1:"));
    EXPECT_TRUE(j["reproduced"].get<bool>());
    ASSERT_EQ(j["findings"].size(), 1u);
    const auto& f = j["findings"][0];
    EXPECT_EQ(f["kind"], to_string(s.expected));
    EXPECT_FALSE(f["message"].get<std::string>().empty());
    ASSERT_FALSE(f["locations"].empty()) << "a finding says where";
    for (const auto& l : f["locations"]) EXPECT_GT(l["line"].get<int>(), 0);
    EXPECT_FALSE(f["threads"].empty());
    EXPECT_EQ(j["interleaving"].size(), r.history.size());
    EXPECT_LE(j["interleaving_at_finding"].get<std::size_t>(), r.history.size());
    EXPECT_GT(j["steps"].get<int>(), 0);
  }
}

// Every object a catalog report names was declared in the project's sources: a location left to
// its default inside a library (std::make_unique constructing a lab::mutex) would point the
// reader into /usr/include.
TEST(JsonReport, EveryCatalogObjectIsDeclaredInTheProjectsSources) {
  for (const auto& s : catalog()) {
    run_report r = explore(s.full_name(), s.body, {.schedules = 300});
    for (const auto& o : r.objects) {
      std::string_view file = o.declared_at.file_name();
      EXPECT_FALSE(file.starts_with("/")) << s.full_name() << ": " << o.name << " declared at " << file;
    }
  }
}

TEST(JsonReport, DeadlockFindingCarriesTheCycle) {
  run_report r = explore("lock_order_inversion/broken", find_scenario("lock_order_inversion/broken")->body, {});
  auto j = nlohmann::json::parse(reports::render_json(r));
  EXPECT_EQ(j["verdict"], "deadlock");
  const auto& f = j["findings"][0];
  EXPECT_TRUE(f["cycle"].get<bool>());
  ASSERT_EQ(f["waits"].size(), 2u);
  for (const auto& w : f["waits"]) {
    EXPECT_EQ(w["waits_on"], "mutex");
    EXPECT_TRUE(w["location"]["file"].get<std::string>().starts_with("scenarios/"));
    EXPECT_GT(w["location"]["line"].get<int>(), 0);
  }
  EXPECT_EQ(f["threads"], nlohmann::json::array({"T1", "T2"}));
  EXPECT_GE(f["locations"].size(), 2u);
}

TEST(JsonReport, CleanRunHasNoFindingsAndNoToken) {
  run_report r = explore("lost_update/fixed", find_scenario("lost_update/fixed")->body, {.schedules = 50});
  auto j = nlohmann::json::parse(reports::render_json(r));
  EXPECT_EQ(j["verdict"], "clean");
  EXPECT_TRUE(j["findings"].empty());
  EXPECT_EQ(j["replay"], "");
  EXPECT_EQ(j["stats"]["executions"], 50);
}

}  // namespace json_test
}  // namespace lab
