// A structural validation of the SARIF 2.1.0 output against what the standard requires of the
// parts we write (OASIS SARIF 2.1.0: sarifLog, run, toolComponent, result, location, codeFlow,
// threadFlow, threadFlowLocation), on the whole catalog.
#include "reports/sarif.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/support/lab_report.h"

namespace lab {
namespace sarif_test {

using nlohmann::json;

void check_physical_location(const json& p, const std::string& where) {
  ASSERT_TRUE(p.is_object()) << where;
  const json& a = p.at("artifactLocation");
  std::string uri = a.at("uri").get<std::string>();
  EXPECT_FALSE(uri.empty()) << where;
  EXPECT_NE(uri[0], '/') << where << ": relative to SRCROOT";
  EXPECT_EQ(uri.find("://"), std::string::npos) << where;
  EXPECT_EQ(a.at("uriBaseId"), "SRCROOT") << where;
  EXPECT_GE(p.at("region").at("startLine").get<int>(), 1) << where;
}

TEST(Sarif, IsStructurallyValid) {
  const auto& r = test::catalog_report();
  json log = json::parse(reports::render_sarif(r));
  EXPECT_EQ(log.at("version"), "2.1.0");
  EXPECT_TRUE(log.at("$schema").get<std::string>().ends_with("sarif-2.1.0.json"));
  ASSERT_EQ(log.at("runs").size(), 1u);
  const json& run = log["runs"][0];
  const json& driver = run.at("tool").at("driver");
  EXPECT_EQ(driver.at("name"), "conlab");
  std::map<std::string, std::size_t> rule_index;
  for (std::size_t i = 0; i < driver.at("rules").size(); ++i) {
    const json& rule = driver["rules"][i];
    EXPECT_TRUE(rule_index.emplace(rule.at("id").get<std::string>(), i).second) << "rule ids are unique";
    EXPECT_FALSE(rule.at("shortDescription").at("text").get<std::string>().empty());
  }
  EXPECT_TRUE(run.at("originalUriBaseIds").contains("SRCROOT"));
  std::size_t with_finding = 0;
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants) with_finding += v.shown.findings.empty() ? 0 : 1;
  ASSERT_EQ(run.at("results").size(), with_finding);
  for (const json& res : run["results"]) {
    std::string id = res.at("ruleId").get<std::string>();
    ASSERT_TRUE(rule_index.contains(id)) << id;
    EXPECT_EQ(res.at("ruleIndex").get<std::size_t>(), rule_index[id]);
    EXPECT_TRUE(std::set<std::string>({"none", "note", "warning", "error"}).contains(res.at("level").get<std::string>()));
    EXPECT_FALSE(res.at("message").at("text").get<std::string>().empty());
    std::string name = res.at("properties").at("scenario").get<std::string>() + "/" +
                       res["properties"].at("variant").get<std::string>();
    ASSERT_EQ(res.at("locations").size(), 1u) << name;
    check_physical_location(res["locations"][0].at("physicalLocation"), name);
    for (const json& rel : res.at("relatedLocations")) {
      check_physical_location(rel.at("physicalLocation"), name);
      EXPECT_GE(rel.at("id").get<int>(), 1);
    }
    EXPECT_TRUE(res.at("properties").at("replay").get<std::string>().starts_with("conlab replay conlab1:")) << name;
    // The interleaving: one threadFlow per thread, executionOrder = the step, in order.
    ASSERT_EQ(res.at("codeFlows").size(), 1u) << name;
    const json& flows = res["codeFlows"][0].at("threadFlows");
    ASSERT_GE(flows.size(), 1u) << name;
    std::set<std::string> ids;
    std::size_t essential = 0;
    std::set<std::uint64_t> seqs;
    for (const json& tf : flows) {
      std::string tid = tf.at("id").get<std::string>();
      EXPECT_TRUE(ids.insert(tid).second) << name << ": one thread flow per thread";
      EXPECT_EQ(tid[0], 'T') << name;
      ASSERT_FALSE(tf.at("locations").empty()) << name;
      int last_order = 0;
      for (const json& tfl : tf["locations"]) {
        int order = tfl.at("executionOrder").get<int>();
        EXPECT_GE(order, last_order) << name << " " << tid << ": steps never go back within a thread";
        last_order = order;
        EXPECT_TRUE(seqs.insert(tfl.at("properties").at("seq").get<std::uint64_t>()).second) << name;
        check_physical_location(tfl.at("location").at("physicalLocation"), name);
        EXPECT_FALSE(tfl["location"].at("message").at("text").get<std::string>().empty());
        std::string imp = tfl.at("importance").get<std::string>();
        EXPECT_TRUE(imp == "essential" || imp == "important" || imp == "unimportant") << imp;
        essential += imp == "essential" ? 1 : 0;
      }
    }
    EXPECT_GE(essential, 1u) << name << ": the finding's events are marked essential";
  }
}

TEST(Sarif, RaceFlowsShowBothThreadsAccesses) {
  json log = json::parse(reports::render_sarif(test::catalog_report()));
  for (const json& res : log["runs"][0]["results"]) {
    if (res["properties"]["scenario"] != "lost_update" || res["properties"]["variant"] != "broken") continue;
    EXPECT_EQ(res["ruleId"], "data_race");
    std::set<std::string> racing;
    for (const json& tf : res["codeFlows"][0]["threadFlows"])
      for (const json& tfl : tf["locations"])
        if (tfl["importance"] == "essential") racing.insert(tf["id"].get<std::string>());
    EXPECT_EQ(racing.size(), 2u) << "the two threads of the race";
    return;
  }
  FAIL() << "no result for lost_update/broken";
}

}  // namespace sarif_test
}  // namespace lab
