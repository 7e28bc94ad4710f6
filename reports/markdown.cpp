#include "reports/markdown.h"

#include <fmt/format.h>

#include <iterator>

#include "reports/labels.h"

namespace lab::reports {
namespace {


std::string check_mark(bool met) { return met ? "yes" : "**NO**"; }

std::string verdict_cell(const variant_report& v) {
  return fmt::format("`{}` (expected `{}`){}", to_string(v.shown.result), to_string(v.expected),
                     v.met ? "" : " **unmet**");
}

std::string fixes_cell(const scenario_report& s) {
  std::string out;
  for (const auto& v : s.variants) {
    if (v.expected != verdict::clean) continue;
    if (!out.empty()) out += "; ";
    out += fmt::format("{}: `{}`{}{}", v.variant, to_string(v.shown.result), v.coverage.empty() ? "" : ", " + v.coverage,
                       v.met ? "" : " **unmet**");
  }
  return out.empty() ? "-" : out;
}

std::string strategy_table(const variant_report& v) {
  std::string out = "| strategy | result | executions | first finding | replayed | as expected |\n|---|---|---|---|---|---|\n";
  for (const auto& s : v.strategies) {
    if (!s.expected) {
      fmt::format_to(std::back_inserter(out), "| {} | not expected to find it: {} | - | - | - | - |\n", s.strategy,
                     md_cell(s.why_not));
      continue;
    }
    if (!s.needed) {
      fmt::format_to(std::back_inserter(out), "| {} | not needed: dpor verified every class | - | - | - | - |\n", s.strategy);
      continue;
    }
    fmt::format_to(std::back_inserter(out), "| {} | `{}`{} | {} | {} | {} | {} |\n", s.strategy, to_string(s.result),
                   s.coverage.starts_with("clean") || s.coverage.empty() ? std::string() : ", " + s.coverage, s.executions, s.first ? fmt::format("execution {}", *s.first) : std::string("-"),
                   s.first ? (s.reproduced ? "yes" : "**no**") : "-", check_mark(s.met));
  }
  return out;
}

/// The cells of one variant for each detector: the comparison's, or the sim strategies'.
std::vector<std::pair<std::string, std::string>> detector_cells(const variant_report& v) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!v.detectors.empty()) {
    for (const auto& c : v.detectors) out.emplace_back(c.detector, cell_text(c));
    return out;
  }
  for (const auto& s : v.strategies) {
    if (!s.needed) continue;  // dpor's cell says "verified"
    std::string text = !s.expected                   ? "not expected: " + s.why_not
                       : s.first                     ? fmt::format("execution {}: {}", *s.first, title(s.result))
                       : s.coverage.starts_with("clean") ? fmt::format("not found in {} executions", s.executions)
                                                     : s.coverage;
    out.emplace_back("sim-" + s.strategy, text);
  }
  return out;
}

}  // namespace

std::string render_index_markdown(const lab_report& r) {
  std::string out = "# conlab report\n\n";
  out += "Every failure mode the source documents warn about, the scenarios that show it, and what the lab "
         "found. Open a scenario's page for the interleaving, the fix and how each detector fared; "
         "`report.html` has the same with a timeline of every failing execution.\n\n";
  fmt::format_to(std::back_inserter(out),
                 "Deterministic harness: dpor first, verified where it explores every interleaving class; "
                 "otherwise random and PCT too; {} executions per strategy and variant, seed {}.", r.schedules,
                 r.seed);
  if (!r.comparison_note.empty()) fmt::format_to(std::back_inserter(out), " Detector comparison: {}.", r.comparison_note);
  out += "\n\n";
  if (r.interrupted) out += "**Interrupted**: the variants after the last one listed were not run.\n\n";
  out += "| # | Failure mode | Scenario | The documents' warning | Verdict | Found by | Executions to the first finding | "
         "Replay | Fix |\n|---|---|---|---|---|---|---|---|---|\n";
  int met = 0, total = 0;
  for (const auto& m : r.modes) {
    std::string warn = m.warnings.empty() ? "-"
                                          : fmt::format("\"{}\" ({})", md_cell(m.warnings.front().quote),
                                                        m.warnings.front().document);
    if (m.scenarios.empty()) {
      fmt::format_to(std::back_inserter(out), "| {} | {} | every scenario | {} | - | {} | - | - | - |\n", m.number,
                     md_cell(m.title), warn, md_cell(m.served_by));
      continue;
    }
    for (const auto& name : m.scenarios) {
      const scenario_report* s = find_scenario_report(r, name);
      if (!s) {
        fmt::format_to(std::back_inserter(out), "| {} | {} | {} | {} | not in this report | - | - | - | - |\n", m.number,
                       md_cell(m.title), name, warn);
        continue;
      }
      for (const auto& v : s->variants) {
        ++total;
        met += v.met ? 1 : 0;
        if (v.expected == verdict::clean) continue;
        auto found = found_by(v);
        std::string replay = replay_command(v);
        fmt::format_to(std::back_inserter(out), "| {} | {} | [{}](scenarios/{}.md) {} | {} | {} | {} | {} | {} | {} |\n",
                       m.number, md_cell(m.title), s->name, s->name, v.variant, warn, verdict_cell(v),
                       found.empty() ? "-" : fmt::format("{}", fmt::join(found, ", ")), first_findings(v),
                       replay.empty() ? "-" : "`" + replay + "`", fixes_cell(*s));
      }
    }
  }
  fmt::format_to(std::back_inserter(out), "\n{} variants: {} as expected, {} not.\n", total, met, total - met);
  return out;
}

std::string render_scenario_markdown(const lab_report& r, const scenario_report& s) {
  std::string out = fmt::format("# {}\n\n", s.name);
  const mode_report* mode = nullptr;
  for (const auto& m : r.modes)
    if (m.number == s.mode_number) mode = &m;
  fmt::format_to(std::back_inserter(out), "Failure mode {}: **{}**. The scenario's README: `{}`. [Back to the index](../index.md).\n\n",
                 s.mode_number, s.failure_mode, s.readme);
  if (mode && !mode->warnings.empty()) {
    out += "The documents warn:\n\n";
    for (const auto& w : mode->warnings) fmt::format_to(std::back_inserter(out), "> \"{}\" ({})\n>\n", w.quote, w.document);
    out.resize(out.size() - 2);
    out += "\n";
  }
  for (const auto& v : s.variants) {
    bool broken = v.expected != verdict::clean;
    fmt::format_to(std::back_inserter(out), "## {}: {}\n\n", v.variant, broken ? "what goes wrong" : "the fix");
    fmt::format_to(std::back_inserter(out), "{}. Expected `{}`; the lab found `{}`{}.\n\n", v.summary, to_string(v.expected),
                   to_string(v.shown.result), v.met ? ", as expected" : " - **not as expected**");
    out += strategy_table(v) + "\n";
    if (!v.shown.findings.empty()) {
      out += "The report of the failing execution, with its interleaving:\n\n```text\n" + v.text + "```\n\n";
      fmt::format_to(std::back_inserter(out),
                     "Timeline: [report.html#{0}-{1}](../report.html#{0}-{1}); for Perfetto or chrome://tracing: "
                     "[traces/{0}.{1}.trace.json](../traces/{0}.{1}.trace.json).\n\n",
                     v.name, v.variant);
    } else {
      fmt::format_to(std::back_inserter(out), "```text\n{}```\n\n", v.text);
    }
  }
  out += "## How each detector fared\n\n";
  std::vector<std::string> columns;
  for (const auto& v : s.variants) columns.push_back(v.variant);
  out += fmt::format("| detector | {} |\n|---|", fmt::join(columns, " | "));
  for (std::size_t i = 0; i < columns.size(); ++i) out += "---|";
  out += "\n";
  std::vector<std::vector<std::pair<std::string, std::string>>> cells;
  for (const auto& v : s.variants) cells.push_back(detector_cells(v));
  if (!cells.empty())
    for (std::size_t d = 0; d < cells.front().size(); ++d) {
      fmt::format_to(std::back_inserter(out), "| {} |", cells.front()[d].first);
      for (const auto& c : cells) fmt::format_to(std::back_inserter(out), " {} |", d < c.size() ? md_cell(c[d].second) : "-");
      out += "\n";
    }
  if (r.detectors.empty())
    out += "\nNative detectors (stress, ThreadSanitizer, helgrind, DRD): run `conlab compare` and pass its "
           "comparison.json to `conlab report --comparison`.\n";
  return out;
}

std::string render_index_text(const lab_report& r, bool colour) {
  auto paint = [&](std::string_view code, std::string_view s) {
    return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  };
  std::string out;
  int met = 0, total = 0;
  for (const auto& m : r.modes) {
    if (m.scenarios.empty()) continue;
    fmt::format_to(std::back_inserter(out), "{:>2} {}\n", m.number, paint("1", m.title));
    for (const auto& name : m.scenarios) {
      const scenario_report* s = find_scenario_report(r, name);
      if (!s) continue;
      for (const auto& v : s->variants) {
        ++total;
        met += v.met ? 1 : 0;
        std::string status = v.met ? paint("32", "ok  ") : paint("31", "FAIL");
        std::string got = fmt::format("{:<21}", to_string(v.shown.result));
        if (v.shown.result != verdict::clean) got = paint("33", got);
        std::string first = v.expected != verdict::clean ? "first finding: " + first_findings(v)
                            : v.coverage.empty()         ? fmt::format("clean in {} executions per strategy", r.schedules)
                                                         : v.coverage;
        fmt::format_to(std::back_inserter(out), "   {} {:<44} {} {}\n", status, v.full_name(), got, first);
      }
    }
  }
  fmt::format_to(std::back_inserter(out), "report: {} passed, {} failed{}\n", met, total - met,
                 r.interrupted ? " (interrupted: the rest not run)" : "");
  return out;
}

}  // namespace lab::reports
