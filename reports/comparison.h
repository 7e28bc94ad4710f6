// The detector comparison: scenario variant x detector -> found or not, after how many runs or
// executions, and the false alarms on fixed variants. Plain data (filled by `conlab compare`)
// and its two renderers, Markdown for people and JSON for tools.
//
//   lab::reports::comparison c = ...;          // one row per variant, one cell per detector
//   std::string md = lab::reports::render_comparison_markdown(c);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lab::reports {

/// What one detector did with one variant.
struct comparison_cell {
  std::string detector;       ///< the column: "sim-random", "sim-pct", "stress", "tsan+jitter", ...
  bool ran = true;            ///< false: not available here (`why_not` says why) or interrupted
  std::string why_not;
  std::uint64_t tries = 0;    ///< runs (native) or executions (sim) done
  std::uint64_t limit = 0;    ///< runs or executions it was allowed
  std::optional<std::uint64_t> first;  ///< 1-based run or execution of the first detection
  std::string verdict;        ///< snake_case verdict of that detection
  std::string source;         ///< "sim", "tsan", "helgrind", "drd", "lab", "watchdog", "signal", "exit"
  std::string title;          ///< short: the tool's headline or the verdict
  std::string where;          ///< scenarios/x/x.cpp:19, when known
  double seconds = 0;         ///< wall-clock time of the cell (not in goldens)
};

struct comparison_row {
  std::string scenario, variant, failure_mode, expected;  ///< expected: snake_case verdict
  bool broken() const { return expected != "clean"; }
  std::vector<comparison_cell> cells;  ///< in the order of comparison::detectors
};

struct comparison {
  std::vector<std::string> detectors;
  std::uint64_t runs = 0;        ///< native runs allowed per broken variant (stops at the first detection)
  std::uint64_t fixed_runs = 0;  ///< native runs per fixed variant
  std::uint64_t schedules = 0;   ///< sim executions allowed per variant
  double run_timeout_s = 0;      ///< the hang watchdog's limit per run
  double jitter = 0;             ///< the jitter columns' probability
  std::string machine;           ///< "2 cores", say
  bool interrupted = false;      ///< stopped early: cells not run say so
  std::vector<comparison_row> rows;
};

/// One detector's totals over the table.
struct detector_summary {
  std::string detector;
  int broken_found = 0, broken_total = 0;   ///< broken variants it flagged / ran on
  int false_alarms = 0, fixed_total = 0;    ///< fixed variants it flagged / ran on
  std::optional<double> median_first;       ///< median run or execution of the first detection
};

/// Totals per detector, in the order of c.detectors (computed here, not by the renderers).
std::vector<detector_summary> summarize(const comparison& c);

/// A Markdown document: what was run, the totals per detector, then the table of variants.
std::string render_comparison_markdown(const comparison& c);

/// One JSON object: {detectors, runs, fixed_runs, schedules, run_timeout_s, jitter, machine,
/// interrupted, summary[], rows[{scenario, variant, failure_mode, expected, cells[]}]}.
std::string render_comparison_json(const comparison& c);

/// The inverse of render_comparison_json (what `conlab compare --format json` wrote). Throws
/// std::invalid_argument with one line saying what is wrong.
comparison parse_comparison_json(std::string_view text);

}  // namespace lab::reports
