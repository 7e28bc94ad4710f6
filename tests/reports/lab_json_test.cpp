// report.json against its documented schema (reports/schema/report.schema.json), validated by
// python3-jsonschema (Draft 2020-12; installed by .ci/deps): the whole catalog's report, every
// variant's run JSON against $defs/run, and a broken document that must fail.
#include "reports/lab_json.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "reports/json.h"
#include "sanitizers/supervisor.h"
#include "tests/support/lab_report.h"

namespace lab {
namespace lab_json_test {

const std::string schema = std::string(CONLAB_SOURCE_DIR) + "/reports/schema/report.schema.json";
const std::string validator = std::string(CONLAB_SOURCE_DIR) + "/tests/reports/validate_json.py";

child_outcome validate(std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/python3", validator, schema};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_child(argv, 120.0, false);
}

struct LabJson : ::testing::Test {
  void SetUp() override {
    ASSERT_EQ(::access("/usr/bin/python3", X_OK), 0) << "python3 is not installed (bash .ci/deps installs python3-jsonschema)";
    dir = test::fresh_folder("json");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(LabJson, TheCatalogsReportMatchesTheSchema) {
  std::ofstream(dir / "report.json") << reports::render_lab_json(test::catalog_report());
  auto v = validate({(dir / "report.json").string()});
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_NE(v.output.find("1 document(s), 0 error(s)"), std::string::npos) << v.output;
}

TEST_F(LabJson, EveryRunReportMatchesTheRunDefinition) {
  std::vector<std::string> files = {"--def", "run"};
  for (const auto& s : test::catalog_report().scenarios)
    for (const auto& var : s.variants) {
      auto path = dir / (var.name + "." + var.variant + ".json");
      std::ofstream(path) << reports::render_json(var.shown);
      files.push_back(path.string());
    }
  auto v = validate(files);
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_NE(v.output.find(" 0 error(s)"), std::string::npos) << v.output;
}

TEST_F(LabJson, TheSchemaRejectsWhatItDoesNotDescribe) {
  auto j = nlohmann::json::parse(reports::render_lab_json(test::catalog_report()));
  j["scenarios"][0]["variants"][0]["verdict"] = "bogus";      // not a verdict
  j["scenarios"][0]["variants"][0]["run"].erase("findings");  // a required field
  std::ofstream(dir / "bad.json") << j.dump();
  auto v = validate({(dir / "bad.json").string()});
  EXPECT_EQ(v.exit_code, 1) << v.output;
  EXPECT_NE(v.output.find("'bogus' is not one of"), std::string::npos) << v.output;
  EXPECT_NE(v.output.find("'findings' is a required property"), std::string::npos) << v.output;
}

TEST_F(LabJson, CarriesTheModel) {
  const auto& r = test::catalog_report();
  auto j = nlohmann::json::parse(reports::render_lab_json(r));
  EXPECT_EQ(j["format"], "conlab-report");
  EXPECT_EQ(j["failure_modes"].size(), r.modes.size());
  EXPECT_EQ(j["scenarios"].size(), r.scenarios.size());
  for (const auto& s : j["scenarios"])
    for (const auto& v : s["variants"]) {
      EXPECT_EQ(v["verdict"], v["run"]["verdict"]);
      EXPECT_EQ(v["timeline"]["lanes"].size(), v["run"]["findings"].empty() ? 1u : v["run"]["threads"].size());
    }
}

}  // namespace lab_json_test
}  // namespace lab
