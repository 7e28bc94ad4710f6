#include "reports/lab_json.h"

#include <nlohmann/json.hpp>

#include "reports/json_detail.h"

namespace lab::reports {
namespace {

using nlohmann::json;

json span_json(const timeline_span& s) {
  return {{"thread", s.thread.value}, {"what", s.what}, {"begin", s.begin}, {"end", s.end}, {"open", s.open}, {"key", s.key}};
}

json timeline_json(const timeline& t) {
  json events = json::array();
  for (const auto& e : t.events)
    events.push_back({{"seq", e.seq},
                      {"thread", e.thread.value},
                      {"step", e.step},
                      {"time_ns", e.time_ns},
                      {"op", e.op},
                      {"label", e.label},
                      {"category", e.category},
                      {"where", e.where},
                      {"key", e.key},
                      {"after_finding", e.after_finding}});
  json holds = json::array(), waits = json::array();
  for (const auto& s : t.holds) holds.push_back(span_json(s));
  for (const auto& s : t.waits) waits.push_back(span_json(s));
  return {{"lanes", t.lanes}, {"lane_notes", t.lane_notes}, {"events", events}, {"holds", holds}, {"waits", waits}};
}

json variant_json(const variant_report& v) {
  json strategies = json::array();
  for (const auto& s : v.strategies)
    strategies.push_back({{"strategy", s.strategy},
                          {"expected", s.expected},
                          {"why_not", s.why_not},
                          {"verdict", to_string(s.result)},
                          {"executions", s.executions},
                          {"first", s.first ? json(*s.first) : json(nullptr)},
                          {"reproduced", s.reproduced},
                          {"needed", s.needed},
                          {"coverage", s.coverage},
                          {"replay", s.replay},
                          {"met", s.met}});
  json detectors = json::array();
  for (const auto& c : v.detectors)
    detectors.push_back({{"detector", c.detector},
                         {"ran", c.ran},
                         {"why_not", c.why_not},
                         {"tries", c.tries},
                         {"limit", c.limit},
                         {"first", c.first ? json(*c.first) : json(nullptr)},
                         {"verdict", c.verdict},
                         {"source", c.source},
                         {"title", c.title},
                         {"where", c.where}});
  return {{"variant", v.variant},
          {"summary", v.summary},
          {"expected", to_string(v.expected)},
          {"verdict", to_string(v.shown.result)},
          {"met", v.met},
          {"coverage", v.coverage},
          {"found_by", found_by(v)},
          {"replay", replay_command(v)},
          {"strategies", strategies},
          {"detectors", detectors},
          {"run", run_json(v.shown)},
          {"timeline", timeline_json(v.line)}};
}

}  // namespace

std::string render_lab_json(const lab_report& r) {
  json modes = json::array();
  for (const auto& m : r.modes) {
    json warnings = json::array();
    for (const auto& w : m.warnings) warnings.push_back({{"document", w.document}, {"quote", w.quote}});
    modes.push_back({{"number", m.number}, {"title", m.title}, {"expected", m.expected}, {"warnings", warnings},
                     {"scenarios", m.scenarios}, {"served_by", m.served_by}});
  }
  json scenarios = json::array();
  for (const auto& s : r.scenarios) {
    json variants = json::array();
    for (const auto& v : s.variants) variants.push_back(variant_json(v));
    scenarios.push_back({{"name", s.name},
                         {"failure_mode", s.failure_mode},
                         {"failure_mode_number", s.mode_number},
                         {"readme", s.readme},
                         {"variants", variants}});
  }
  json j = {{"format", "conlab-report"},
            {"version", 1},
            {"schedules", r.schedules},
            {"seed", r.seed},
            {"detectors", r.detectors},
            {"comparison_note", r.comparison_note},
            {"interrupted", r.interrupted},
            {"sources", r.sources},
            {"failure_modes", modes},
            {"scenarios", scenarios}};
  return j.dump(2) + "\n";
}

}  // namespace lab::reports
