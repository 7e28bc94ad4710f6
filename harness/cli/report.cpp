// The report command's model builder and folder writer. The exploring is `conlab check`'s; what
// is new is keeping everything the renderers need, and reading the source lines they show.
#include "harness/cli/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "harness/runtime/explorer.h"
#include "reports/chrome_trace.h"
#include "reports/html.h"
#include "reports/json.h"
#include "reports/lab_json.h"
#include "reports/markdown.h"
#include "reports/sarif.h"
#include "reports/text.h"
#include "scenarios/failure_modes.h"

namespace lab::cli {
namespace {

/// Reads the lines the report points at from the source tree: "file:line" -> text.
void read_sources(reports::lab_report& r, const std::filesystem::path& root) {
  std::map<std::string, std::set<unsigned>> wanted;
  auto want = [&](const std::string& where) {
    auto colon = where.rfind(':');
    if (colon == std::string::npos || where == "?") return;
    wanted[where.substr(0, colon)].insert(static_cast<unsigned>(std::stoul(where.substr(colon + 1))));
  };
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants)
      for (const auto& e : v.line.events) want(e.where);
  for (const auto& [file, lines] : wanted) {
    std::ifstream in(root / file);
    if (!in) continue;
    unsigned n = 0;
    for (std::string text; std::getline(in, text);) {
      if (!lines.contains(++n)) continue;
      auto first = text.find_first_not_of(" \t");
      r.sources[fmt::format("{}:{}", file, n)] = first == std::string::npos ? "" : text.substr(first);
    }
  }
}

reports::variant_report explore_variant(const scenario& s, const options& base) {
  reports::variant_report v{.name = std::string(s.name), .variant = std::string(s.variant),
                            .summary = std::string(s.summary), .expected = s.expected};
  bool have_shown = false;
  for (const char* strat : {"random", "pct"}) {
    reports::strategy_result sr{.strategy = strat, .expected = s.expects(strat), .why_not = std::string(s.why_not)};
    if (!sr.expected) {
      v.strategies.push_back(std::move(sr));
      continue;
    }
    options o = base;
    o.strategy = strat;
    run_report rr = explore(s.full_name(), s.body, o);
    sr.result = rr.result;
    sr.executions = rr.stats.executions;
    if (rr.result != verdict::clean) sr.first = rr.schedule + 1;
    sr.reproduced = rr.reproduced;
    sr.replay = rr.replay;
    sr.met = rr.result == s.expected && (rr.result == verdict::clean || rr.reproduced);
    v.met = v.met && sr.met;
    bool better = !have_shown || (v.shown.result == verdict::clean && rr.result != verdict::clean);
    if (better) {
      v.shown = std::move(rr);
      have_shown = true;
    }
    v.strategies.push_back(std::move(sr));
  }
  v.text = reports::render_text(v.shown);
  v.line = reports::build_timeline(v.shown);
  return v;
}

}  // namespace

reports::lab_report build_lab_report(const std::vector<const scenario*>& chosen, const options& opts,
                                     const std::filesystem::path& source_root, const reports::comparison* cmp,
                                     std::FILE* progress) {
  reports::lab_report r{.schedules = opts.schedules, .seed = opts.seed};
  if (cmp) {
    r.detectors = cmp->detectors;
    r.comparison_note = fmt::format(
        "native columns: {} run(s) per broken variant (stopping at the first detection), {} per fixed one, "
        "watchdog {} s per run, jitter {}; sim columns: {} executions; on {}",
        cmp->runs, cmp->fixed_runs, cmp->run_timeout_s, cmp->jitter, cmp->schedules, cmp->machine);
  }
  for (const auto& m : failure_modes()) {
    reports::mode_report mr{.number = m.number, .title = std::string(m.title), .expected = std::string(m.expected)};
    for (const auto& w : m.warnings) mr.warnings.push_back({std::string(w.document), std::string(w.quote)});
    std::set<std::string> seen;
    for (const scenario* s : variants_of(m))
      if (seen.insert(std::string(s->name)).second) mr.scenarios.emplace_back(s->name);
    if (mr.scenarios.empty())
      mr.served_by = "every report: the replay token, the interleaving, source lines; natively, the watchdog's "
                     "stacks of every thread";
    r.modes.push_back(std::move(mr));
  }
  for (const scenario* s : chosen) {
    if (stop_was_requested()) {
      r.interrupted = true;
      break;
    }
    if (progress) fmt::print(progress, "conlab report: {}\n", s->full_name());
    reports::variant_report v = explore_variant(*s, opts);
    if (cmp)
      for (const auto& row : cmp->rows)
        if (row.scenario == s->name && row.variant == s->variant) v.detectors = row.cells;
    if (r.scenarios.empty() || r.scenarios.back().name != s->name) {
      const failure_mode* m = find_failure_mode(s->failure_mode);
      r.scenarios.push_back({.name = std::string(s->name),
                             .failure_mode = std::string(s->failure_mode),
                             .readme = s->readme(),
                             .mode_number = m ? m->number : 0});
    }
    r.scenarios.back().variants.push_back(std::move(v));
  }
  if (stop_was_requested()) r.interrupted = true;  // also during the last variant: its search was cut short
  // Broken variants first on every page: that is the story, the fix follows.
  for (auto& s : r.scenarios)
    std::stable_partition(s.variants.begin(), s.variants.end(),
                          [](const reports::variant_report& v) { return v.expected != verdict::clean; });
  read_sources(r, source_root);
  return r;
}

reports::comparison parse_comparison_json(std::string_view text) {
  using nlohmann::json;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("the comparison is not JSON (expected what conlab compare --format json writes)");
  try {
    reports::comparison c;
    c.detectors = j.at("detectors").get<std::vector<std::string>>();
    c.runs = j.at("runs").get<std::uint64_t>();
    c.fixed_runs = j.at("fixed_runs").get<std::uint64_t>();
    c.schedules = j.at("schedules").get<std::uint64_t>();
    c.run_timeout_s = j.at("run_timeout_s").get<double>();
    c.jitter = j.at("jitter").get<double>();
    c.machine = j.at("machine").get<std::string>();
    c.interrupted = j.at("interrupted").get<bool>();
    for (const auto& row : j.at("rows")) {
      reports::comparison_row cr{row.at("scenario").get<std::string>(), row.at("variant").get<std::string>(),
                                 row.at("failure_mode").get<std::string>(), row.at("expected").get<std::string>(), {}};
      for (const auto& cell : row.at("cells")) {
        reports::comparison_cell cc;
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

std::vector<std::string> write_report_folder(const reports::lab_report& r, const std::filesystem::path& dir) {
  std::vector<std::string> written;
  auto put = [&](const std::string& rel, const std::string& text) {
    auto path = dir / rel;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.good()) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
    written.push_back(rel);
  };
  put("index.md", reports::render_index_markdown(r));
  put("index.txt", reports::render_index_text(r, false));
  put("report.html", reports::render_html(r));
  put("report.json", reports::render_lab_json(r));
  put("report.sarif", reports::render_sarif(r));
  for (const auto& s : r.scenarios) {
    put(fmt::format("scenarios/{}.md", s.name), reports::render_scenario_markdown(r, s));
    for (const auto& v : s.variants) {
      std::string base = fmt::format("{}.{}", v.name, v.variant);
      put(fmt::format("variants/{}.txt", base), v.text);
      put(fmt::format("variants/{}.json", base), reports::render_json(v.shown));
      if (!v.shown.findings.empty()) put(fmt::format("traces/{}.trace.json", base), reports::render_chrome_trace(v));
    }
  }
  return written;
}

}  // namespace lab::cli
