#include "reports/sarif.h"

#include <fmt/format.h>

#include <cctype>
#include <optional>

#include <nlohmann/json.hpp>

#include "reports/labels.h"

namespace lab::reports {
namespace {

using nlohmann::json;

constexpr std::size_t max_flow_events = 400;

/// Splits "file:line"; nullopt for "?" or no line.
std::optional<std::pair<std::string, unsigned>> split_where(const std::string& where) {
  auto colon = where.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  unsigned line = 0;
  for (char c : where.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    line = line * 10 + static_cast<unsigned>(c - '0');
  }
  if (line == 0) return std::nullopt;
  return std::pair{where.substr(0, colon), line};
}

json physical(const std::string& file, unsigned line) {
  return {{"artifactLocation", {{"uri", file}, {"uriBaseId", "SRCROOT"}}}, {"region", {{"startLine", line}}}};
}

json location_at(const std::string& where, const std::string& message) {
  auto fl = split_where(where);
  if (!fl) return nullptr;
  json l = {{"physicalLocation", physical(fl->first, fl->second)}};
  if (!message.empty()) l["message"] = {{"text", message}};
  return l;
}

std::string rule_name(verdict v) {
  std::string snake(to_string(v)), out;
  bool up = true;
  for (char c : snake) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

/// Every verdict a finding can have, in the enum's order: the rules.
const std::vector<verdict>& rule_verdicts() {
  static const std::vector<verdict> all = [] {
    std::vector<verdict> v;
    for (int i = static_cast<int>(verdict::data_race); i <= static_cast<int>(verdict::step_limit); ++i)
      v.push_back(static_cast<verdict>(i));
    return v;
  }();
  return all;
}

json related_locations(const run_report& r, const finding& f) {
  json out = json::array();
  int id = 0;
  auto add = [&](const std::source_location& loc, const std::string& text) {
    json l = location_at(where(loc), text);
    if (l.is_null()) return;
    l["id"] = ++id;
    out.push_back(std::move(l));
  };
  for (std::size_t i = 0; i < f.accesses.size(); ++i) {
    const auto& a = f.accesses[i];
    add(a.loc, fmt::format("{}{} of {} by {} at step {}", i ? "previous " : "", a.write ? "write" : "read",
                           object_label(r, a.object), a.thread, a.step));
  }
  for (const auto& w : f.waits) {
    add(w.loc, fmt::format("{} waits (since step {})", w.thread, w.step));
    if (w.holder != no_thread && w.holder != w.thread && w.what == wait_info::on::mutex)
      add(w.held_at, fmt::format("{} acquired by {}", object_label(r, w.object), w.holder));
    if (w.via != no_object && w.holder_task != no_object)
      add(w.held_at, fmt::format("{} taken by {}", object_label(r, w.via), object_label(r, w.holder_task)));
  }
  for (const auto& e : f.edges)
    add(e.second_loc, fmt::format("{} acquires {} while holding {}", e.thread, object_label(r, e.second), object_label(r, e.first)));
  for (const auto& n : f.notes) add(n.loc, fmt::format("{} {}", n.thread, n.text));
  return out;
}

json code_flow(const variant_report& v) {
  const timeline& t = v.line;
  std::vector<const timeline_event*> events;
  for (const auto& e : t.events)
    if (!e.after_finding && split_where(e.where)) events.push_back(&e);
  if (events.size() > max_flow_events) events.erase(events.begin(), events.end() - static_cast<std::ptrdiff_t>(max_flow_events));
  json flows = json::array();
  for (std::size_t lane = 0; lane < t.lanes.size(); ++lane) {
    json locs = json::array();
    for (const timeline_event* e : events) {
      if (e->thread != lane) continue;
      locs.push_back({{"location", location_at(e->where, e->label)},
                      {"executionOrder", e->step},
                      {"importance", e->key ? "essential" : "important"},
                      {"properties", {{"seq", e->seq}, {"category", e->category}}}});
    }
    if (locs.empty()) continue;
    std::string note = t.lane_notes[lane].empty() ? t.lanes[lane] : t.lanes[lane] + ", " + t.lane_notes[lane];
    flows.push_back({{"id", t.lanes[lane]}, {"message", {{"text", note}}}, {"locations", locs}});
  }
  return {{"message", {{"text", fmt::format("execution {} of {} ({} strategy, seed {}): {} steps", v.shown.schedule + 1,
                                            v.shown.stats.executions, v.shown.strategy, v.shown.seed, v.shown.steps)}}},
          {"threadFlows", flows}};
}

}  // namespace

std::string render_sarif(const lab_report& r) {
  json rules = json::array();
  for (verdict v : rule_verdicts())
    rules.push_back({{"id", to_string(v)},
                     {"name", rule_name(v)},
                     {"shortDescription", {{"text", std::string(title(v))}}},
                     {"defaultConfiguration", {{"level", "error"}}}});
  json results = json::array();
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants) {
      if (v.shown.findings.empty()) continue;
      const finding& f = v.shown.findings.front();
      json loc = location_at(where(f.loc), "");
      if (loc.is_null() && !f.waits.empty()) loc = location_at(where(f.waits.front().loc), "");
      json result = {{"ruleId", to_string(f.kind)},
                     {"ruleIndex", static_cast<int>(f.kind) - static_cast<int>(verdict::data_race)},
                     {"level", "error"},
                     {"message", {{"text", fmt::format("{} in {}: {}", title(f.kind), v.full_name(), f.message)}}},
                     {"locations", loc.is_null() ? json::array() : json::array({loc})},
                     {"relatedLocations", related_locations(v.shown, f)},
                     {"codeFlows", json::array({code_flow(v)})},
                     {"partialFingerprints", {{"conlabVariant/v1", fmt::format("{}:{}", v.full_name(), to_string(f.kind))}}},
                     {"properties",
                      {{"scenario", v.name},
                       {"variant", v.variant},
                       {"expected", to_string(v.expected)},
                       {"as_expected", v.met},
                       {"replay", replay_command(v)}}}};
      results.push_back(std::move(result));
    }
  json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::array({{{"tool", {{"driver", {{"name", "conlab"}, {"semanticVersion", "0.6.0"}, {"rules", rules}}}}},
                             {"originalUriBaseIds", {{"SRCROOT", {{"description", {{"text", "the conlab source tree"}}}}}}},
                             {"columnKind", "unicodeCodePoints"},
                             {"results", results}}})}};
  return sarif.dump(2) + "\n";
}

}  // namespace lab::reports
