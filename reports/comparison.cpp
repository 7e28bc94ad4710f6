#include "reports/comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "reports/labels.h"

namespace lab::reports {
namespace {

/// "3: data race" or "1: hang (watchdog)": the source is named when it is not the column's own.
std::string detection_text(const comparison_cell& c) {
  std::string text = fmt::format("{}: {}", *c.first, c.title.empty() ? c.verdict : c.title);
  bool own = c.source == "sim" || c.detector.starts_with(c.source);
  if (!own && !c.source.empty()) text += fmt::format(" ({})", c.source);
  return text;
}

std::string cell_text(const comparison_row& row, const comparison_cell& c) {
  if (!c.ran) return "n/a";
  if (!c.first) return row.broken() ? fmt::format("- ({})", c.tries) : fmt::format("clean ({})", c.tries);
  return row.broken() ? detection_text(c) : fmt::format("**{}**", detection_text(c));
}


}  // namespace

std::vector<detector_summary> summarize(const comparison& c) {
  std::vector<detector_summary> out;
  for (std::size_t d = 0; d < c.detectors.size(); ++d) {
    detector_summary s{.detector = c.detectors[d]};
    std::vector<double> firsts;
    for (const auto& row : c.rows) {
      if (d >= row.cells.size() || !row.cells[d].ran) continue;
      const auto& cell = row.cells[d];
      if (row.broken()) {
        ++s.broken_total;
        if (cell.first) {
          ++s.broken_found;
          firsts.push_back(static_cast<double>(*cell.first));
        }
      } else {
        ++s.fixed_total;
        if (cell.first) ++s.false_alarms;
      }
    }
    if (!firsts.empty()) {
      std::sort(firsts.begin(), firsts.end());
      auto n = firsts.size();
      s.median_first = n % 2 ? firsts[n / 2] : (firsts[n / 2 - 1] + firsts[n / 2]) / 2;
    }
    out.push_back(s);
  }
  return out;
}

std::string render_comparison_markdown(const comparison& c) {
  std::string md = "# Detector comparison\n\n";
  md += fmt::format(
      "Every variant of the catalog under each detector. Sim columns: up to {} executions of the deterministic "
      "scheduler. Native columns: real threads in a child process, up to {} runs for a broken variant (stopping "
      "at the first detection) and {} for a fixed one; a run silent for {} s is a hang, ended by the watchdog "
      "with every thread's stack. Jitter columns: a random yield at each lab primitive with probability {} "
      "(a short sleep at a tenth of it).{}\n\n",
      c.schedules, c.runs, c.fixed_runs, c.run_timeout_s, c.jitter,
      c.machine.empty() ? std::string() : fmt::format(" Machine: {}.", c.machine));
  if (c.interrupted) md += "**Interrupted**: cells marked n/a were not run.\n\n";
  md += "## Totals\n\n| detector | broken variants found | median run or execution of the first detection | false alarms on fixed variants |\n|---|---|---|---|\n";
  for (const auto& s : summarize(c))
    md += fmt::format("| {} | {}/{} | {} | {}/{} |\n", s.detector, s.broken_found, s.broken_total,
                      s.median_first ? fmt::format("{:g}", *s.median_first) : std::string("-"), s.false_alarms,
                      s.fixed_total);
  md += "\n## By variant\n\nA cell gives the run (or execution) of the first detection and what it was; the detector "
        "that saw it is named when it is not the column's own (`lab`: the scenario's own check, `watchdog`: a hang). "
        "`- (N)`: nothing in N runs. On a fixed variant, **bold** is an alarm: a false one, or a flaw in the fix.\n\n";
  md += "| variant | expected |";
  for (const auto& d : c.detectors) md += fmt::format(" {} |", d);
  md += "\n|---|---|";
  for (std::size_t i = 0; i < c.detectors.size(); ++i) md += "---|";
  md += "\n";
  std::vector<std::string> notes;
  for (const auto& row : c.rows) {
    md += fmt::format("| {}/{} | {} |", row.scenario, row.variant, row.expected);
    for (const auto& cell : row.cells) {
      md += fmt::format(" {} |", md_cell(cell_text(row, cell)));
      if (!cell.ran && !cell.why_not.empty()) {
        std::string note = fmt::format("{}: {}", cell.detector, cell.why_not);
        if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
      }
    }
    md += "\n";
  }
  if (!notes.empty()) {
    md += "\nNot run:\n\n";
    for (const auto& n : notes) md += fmt::format("- {}\n", n);
  }
  return md;
}

std::string render_comparison_json(const comparison& c) {
  using nlohmann::json;
  json j = {{"detectors", c.detectors},         {"runs", c.runs},       {"fixed_runs", c.fixed_runs},
            {"schedules", c.schedules},         {"run_timeout_s", c.run_timeout_s}, {"jitter", c.jitter},
            {"machine", c.machine},             {"interrupted", c.interrupted}};
  json summary = json::array();
  for (const auto& s : summarize(c))
    summary.push_back({{"detector", s.detector},
                       {"broken_found", s.broken_found},
                       {"broken_total", s.broken_total},
                       {"false_alarms", s.false_alarms},
                       {"fixed_total", s.fixed_total},
                       {"median_first", s.median_first ? json(*s.median_first) : json(nullptr)}});
  j["summary"] = summary;
  json rows = json::array();
  for (const auto& row : c.rows) {
    json cells = json::array();
    for (const auto& cell : row.cells) {
      json x = {{"detector", cell.detector}, {"ran", cell.ran}, {"tries", cell.tries}, {"limit", cell.limit},
                {"found", cell.first.has_value()}, {"seconds", cell.seconds}};
      if (!cell.ran) x["why_not"] = cell.why_not;
      if (cell.first)
        x["first"] = {{"at", *cell.first},       {"verdict", cell.verdict}, {"source", cell.source},
                      {"title", cell.title},     {"where", cell.where.empty() ? json(nullptr) : json(cell.where)}};
      cells.push_back(std::move(x));
    }
    rows.push_back({{"scenario", row.scenario}, {"variant", row.variant}, {"failure_mode", row.failure_mode},
                    {"expected", row.expected}, {"cells", cells}});
  }
  j["rows"] = rows;
  return j.dump(2) + "\n";
}

comparison parse_comparison_json(std::string_view text) {
  using nlohmann::json;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("the comparison is not JSON (expected what conlab compare --format json writes)");
  try {
    comparison c;
    c.detectors = j.at("detectors").get<std::vector<std::string>>();
    c.runs = j.at("runs").get<std::uint64_t>();
    c.fixed_runs = j.at("fixed_runs").get<std::uint64_t>();
    c.schedules = j.at("schedules").get<std::uint64_t>();
    c.run_timeout_s = j.at("run_timeout_s").get<double>();
    c.jitter = j.at("jitter").get<double>();
    c.machine = j.at("machine").get<std::string>();
    c.interrupted = j.at("interrupted").get<bool>();
    for (const auto& row : j.at("rows")) {
      comparison_row cr{row.at("scenario").get<std::string>(), row.at("variant").get<std::string>(),
                                 row.at("failure_mode").get<std::string>(), row.at("expected").get<std::string>(), {}};
      for (const auto& cell : row.at("cells")) {
        comparison_cell cc;
        cc.detector = cell.at("detector").get<std::string>();
        cc.ran = cell.at("ran").get<bool>();
        cc.why_not = cell.value("why_not", "");
        cc.tries = cell.value("tries", std::uint64_t{0});
        cc.limit = cell.value("limit", std::uint64_t{0});
        if (cell.contains("first") && cell["first"].is_object()) {
          const json& f = cell["first"];
          cc.first = f.at("at").get<std::uint64_t>();
          cc.verdict = f.value("verdict", "");
          cc.source = f.value("source", "");
          cc.title = f.value("title", "");
          if (f.contains("where") && f["where"].is_string()) cc.where = f["where"].get<std::string>();
        }
        cc.seconds = cell.value("seconds", 0.0);
        cr.cells.push_back(std::move(cc));
      }
      c.rows.push_back(std::move(cr));
    }
    return c;
  } catch (const json::exception& e) {
    throw std::invalid_argument(fmt::format("the comparison lacks what conlab compare writes: {}", e.what()));
  }
}

}  // namespace lab::reports
