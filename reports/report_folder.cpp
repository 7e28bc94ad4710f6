// The report folder of `conlab report`: runs the catalog, builds the lab report model and writes
// every page. The exploring is the check of a scenario variant (harness/explore/check.h); what is
// new is keeping everything the renderers need, and reading the source lines they show.
#include "reports/report_folder.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "harness/explore/check.h"
#include "harness/explore/explorer.h"
#include "reports/chrome_trace.h"
#include "reports/html.h"
#include "reports/json.h"
#include "reports/lab_json.h"
#include "reports/markdown.h"
#include "reports/sarif.h"
#include "reports/text.h"
#include "scenarios/failure_modes.h"

namespace lab::reports {
namespace {

/// Reads the lines the report points at from the source tree: "file:line" -> text.
void read_sources(lab_report& r, const std::filesystem::path& root) {
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

variant_report explore_variant(const scenario& s, const options& base) {
  variant_report v{.name = std::string(s.name), .variant = std::string(s.variant),
                            .summary = std::string(s.summary), .expected = s.expected};
  variant_check c = check_variant(s, base);
  for (const strategy_check& sc : c.strategies) {
    strategy_result sr{.strategy = sc.strategy, .expected = sc.applies, .why_not = sc.why_not};
    sr.needed = sc.needed;
    if (sc.applies && sc.needed) {
      sr.coverage = coverage(sc.report);
      sr.result = sc.report.result;
      sr.executions = sc.report.stats.executions;
      if (sc.report.result != verdict::clean) sr.first = sc.report.schedule + 1;
      sr.reproduced = sc.report.reproduced;
      sr.replay = sc.report.replay;
      sr.met = sc.met;
    }
    v.strategies.push_back(std::move(sr));
  }
  v.met = c.met;
  if (const run_report* shown = c.shown()) v.shown = *shown;
  if (v.shown.result == verdict::clean && !c.strategies.empty()) {
    std::uint64_t total = 0;
    for (const strategy_result& sr : v.strategies) total += sr.executions;
    const bool verified = std::any_of(c.strategies.begin(), c.strategies.end(),
                                      [](const strategy_check& sc) { return sc.needed && sc.report.stats.exhaustive; });
    v.coverage = verified ? coverage(c.shown() ? *c.shown() : v.shown) : fmt::format("sampled ({} executions)", total);
  }
  v.text = render_text(v.shown);
  v.line = build_timeline(v.shown);
  return v;
}

}  // namespace

lab_report build_lab_report(const std::vector<const scenario*>& chosen, const options& opts,
                                     const std::filesystem::path& source_root, const comparison* cmp,
                                     std::FILE* progress) {
  lab_report r{.schedules = opts.schedules, .seed = opts.seed};
  if (cmp) {
    r.detectors = cmp->detectors;
    r.comparison_note = fmt::format(
        "native columns: {} run(s) per broken variant (stopping at the first detection), {} per fixed one, "
        "watchdog {} s per run, jitter {}; sim columns: {} executions; on {}",
        cmp->runs, cmp->fixed_runs, cmp->run_timeout_s, cmp->jitter, cmp->schedules, cmp->machine);
  }
  for (const auto& m : failure_modes()) {
    mode_report mr{.number = m.number, .title = std::string(m.title), .expected = std::string(m.expected)};
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
    variant_report v = explore_variant(*s, opts);
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
                          [](const variant_report& v) { return v.expected != verdict::clean; });
  read_sources(r, source_root);
  return r;
}

void claim_report_folder(const std::filesystem::path& dir, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw std::invalid_argument(fmt::format("the report folder {} is a file", dir.string()));
  fs::create_directories(dir, ec);
  if (ec) throw std::invalid_argument(fmt::format("cannot create the report folder {}: {}", dir.string(), ec.message()));
  const fs::path marker = dir / report_marker;
  bool ours = fs::exists(marker, ec);
  bool empty = fs::is_empty(dir, ec);
  if (!ours && !empty && !force)
    throw std::invalid_argument(fmt::format("{} is not empty and holds no conlab report (--force writes into it anyway)",
                                            dir.string()));
  if (ours) {  // the previous report's files, as its marker lists them, and nothing else
    std::ifstream in(marker);
    std::string line;
    std::getline(in, line);  // the marker's title
    while (std::getline(in, line)) {
      fs::path rel(line);
      if (line.empty() || rel.is_absolute() || line.find("..") != std::string::npos) continue;
      fs::remove(dir / rel, ec);
    }
    for (const char* sub : {"scenarios", "variants", "traces"})
      if (fs::is_directory(dir / sub, ec) && fs::is_empty(dir / sub, ec)) fs::remove(dir / sub, ec);
  }
  std::ofstream probe(dir / ".conlab-write-test");
  if (!probe) throw std::invalid_argument(fmt::format("cannot write the report folder {}", dir.string()));
  probe.close();
  fs::remove(dir / ".conlab-write-test", ec);
}

std::vector<std::string> write_report_folder(const lab_report& r, const std::filesystem::path& dir,
                                             const comparison* cmp) {
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
  put("index.md", render_index_markdown(r));
  put("index.txt", render_index_text(r, false));
  put("report.html", render_html(r));
  put("report.json", render_lab_json(r));
  put("report.sarif", render_sarif(r));
  if (cmp) {
    put("comparison.md", render_comparison_markdown(*cmp));
    put("comparison.json", render_comparison_json(*cmp));
  }
  for (const auto& s : r.scenarios) {
    put(fmt::format("scenarios/{}.md", s.name), render_scenario_markdown(r, s));
    for (const auto& v : s.variants) {
      std::string base = fmt::format("{}.{}", v.name, v.variant);
      put(fmt::format("variants/{}.txt", base), v.text);
      put(fmt::format("variants/{}.json", base), render_json(v.shown));
      if (!v.shown.findings.empty()) put(fmt::format("traces/{}.trace.json", base), render_chrome_trace(v));
    }
  }
  std::string marker = "conlab report folder: the files of the report, which the next report replaces\n";
  for (const auto& f : written) marker += f + "\n";
  put(std::string(report_marker), marker);
  written.pop_back();  // the marker is not a page
  return written;
}

}  // namespace lab::reports
