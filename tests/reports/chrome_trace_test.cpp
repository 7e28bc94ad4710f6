#include "reports/chrome_trace.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/support/lab_report.h"

namespace lab {
namespace chrome_trace_test {

using nlohmann::json;

// Every failing execution of the catalog: the Trace Event Format's shape (phases, pid/tid,
// ts/dur), a named track per thread and per thread's waits, and slices that never overlap
// partially on one track (trace viewers require slices on a track to nest).
TEST(ChromeTrace, EveryFailingExecutionIsAWellFormedTrace) {
  for (const auto& s : test::catalog_report().scenarios)
    for (const auto& v : s.variants) {
      if (v.shown.findings.empty()) continue;
      json t = json::parse(reports::render_chrome_trace(v));
      const json& events = t.at("traceEvents");
      std::map<int, std::string> names;
      std::map<int, std::vector<std::pair<std::uint64_t, std::uint64_t>>> slices;
      std::size_t instants = 0, keys = 0;
      for (const json& e : events) {
        std::string ph = e.at("ph").get<std::string>();
        EXPECT_EQ(e.at("pid"), 1);
        if (ph == "M") {
          if (e["name"] == "thread_name") names[e.at("tid").get<int>()] = e["args"]["name"].get<std::string>();
          continue;
        }
        ASSERT_TRUE(ph == "i" || ph == "X") << ph;
        EXPECT_TRUE(e.at("ts").is_number_unsigned());
        EXPECT_FALSE(e.at("name").get<std::string>().empty());
        if (ph == "i") {
          ++instants;
          EXPECT_EQ(e.at("s"), "t");
          keys += e["args"]["key"].get<bool>() ? 1 : 0;
        } else {
          EXPECT_GE(e.at("dur").get<std::uint64_t>(), 1u);
          slices[e.at("tid").get<int>()].emplace_back(e["ts"].get<std::uint64_t>(),
                                                       e["ts"].get<std::uint64_t>() + e["dur"].get<std::uint64_t>());
        }
        EXPECT_TRUE(names.contains(e.at("tid").get<int>())) << "every track is named before use";
      }
      EXPECT_EQ(instants, v.line.events.size()) << v.full_name();
      EXPECT_GE(keys, 1u) << v.full_name();
      for (const auto& lane : v.line.lanes) {
        std::set<std::string> all;
        for (const auto& [tid, n] : names) all.insert(n);
        EXPECT_TRUE(all.contains(lane)) << v.full_name() << " " << lane;
        EXPECT_TRUE(all.contains(lane + " waits")) << v.full_name() << " " << lane;
      }
      for (auto& [tid, spans] : slices) {
        std::sort(spans.begin(), spans.end());
        for (std::size_t i = 1; i < spans.size(); ++i)
          EXPECT_LE(spans[i - 1].second, spans[i].first) << v.full_name() << " track " << names[tid] << ": slices overlap";
      }
    }
}

TEST(ChromeTrace, HoldingAndWaitingAreSeparateTracks) {
  for (const auto& s : test::catalog_report().scenarios)
    for (const auto& v : s.variants) {
      if (v.full_name() != "lock_order_inversion/broken") continue;
      json t = json::parse(reports::render_chrome_trace(v));
      std::map<int, std::string> names;
      std::size_t holds = 0, waits = 0;
      for (const json& e : t["traceEvents"]) {
        if (e["ph"] == "M" && e["name"] == "thread_name") names[e["tid"]] = e["args"]["name"];
        if (e["ph"] != "X") continue;
        const std::string& track = names[e["tid"]];
        if (track.find(" holds ") != std::string::npos) ++holds;
        if (track.ends_with(" waits")) {
          ++waits;
          EXPECT_TRUE(e["args"]["open"].get<bool>()) << "a deadlock's waits never end";
        }
      }
      EXPECT_EQ(holds, 2u) << "each thread holds its first account's lock";
      EXPECT_EQ(waits, 3u) << "T1 and T2 wait for each other's lock, T0 for T1";
      return;
    }
  FAIL() << "lock_order_inversion/broken not in the report";
}

}  // namespace chrome_trace_test
}  // namespace lab
