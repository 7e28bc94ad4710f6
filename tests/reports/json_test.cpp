#include "reports/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/explore/explorer.h"
#include "scenarios/catalog.h"
#include "tests/support/golden.h"

namespace lab {
namespace {

TEST(JsonReport, EveryCatalogVariantMatchesItsGolden) {
  for (const auto& s : catalog()) {
    run_report r = explore(s.full_name(), s.body, {.schedules = 300});
    r.stats.elapsed_s = 0;  // the only field that varies between runs
    std::string n = s.full_name();
    n[n.find('/')] = '.';
    test::expect_golden(n + ".json", reports::render_json(r));
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

}  // namespace
}  // namespace lab
