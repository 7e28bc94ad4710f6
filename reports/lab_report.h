// The lab report: the whole catalog in one plain-data model - every failure mode the documents
// warn about, every scenario under it, what each strategy and detector found - laid out by the
// renderers of `conlab report` (Markdown, HTML, JSON, SARIF, Chrome trace, terminal text).
//
//   lab::reports::lab_report r = lab::reports::build_lab_report(...);   // runs the catalog
//   write(dir / "index.md", lab::reports::render_index_markdown(r));
//
// Everything here is filled by the builder (reports/report_folder.h) from the detectors' findings
// and the explorer's run reports; renderers compute nothing, they only lay it out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/trace/report.h"
#include "reports/comparison.h"

namespace lab::reports {

/// What one strategy of the deterministic harness found in one variant.
struct strategy_result {
  std::string strategy;       ///< "random", "pct"
  bool expected = true;       ///< false: the variant declares this strategy cannot find it
  std::string why_not;        ///< ... and why
  verdict result = verdict::clean;
  std::uint64_t executions = 0;        ///< explored
  std::optional<std::uint64_t> first;  ///< 1-based execution of the first finding
  bool reproduced = false;
  /// False: dpor verified the variant first, so this sampler was not run (harness/explore/check.h).
  bool needed = true;
  std::string coverage;  ///< when clean: "verified (2 classes)", "sampled (N executions)", "clean in N executions"
  std::string replay;  ///< its token
  bool met = true;     ///< the variant's expectation held for this strategy
};

/// One thing that happened in the failing execution, as a timeline shows it: one row of the
/// interleaving, placed in its thread's lane.
struct timeline_event {
  std::size_t seq = 0;  ///< position in the execution's history (0-based)
  thread_id thread = no_thread;
  std::uint32_t step = 0;
  std::uint64_t time_ns = 0;  ///< virtual time
  std::string op;             ///< "lock", "read" ... (to_string(op))
  std::string label;          ///< "lock M1 'a.m'", as the text interleaving says it
  std::string category;       ///< lock, wait, access, atomic, thread, task, time, other
  std::string where;          ///< "file:line"
  /// The finding points at this event: a racing access, a wait of the cycle, the stall, the
  /// failed assertion.
  bool key = false;
  bool after_finding = false;  ///< the execution ran on past the finding (starvation, stalls)
};

/// A thread holding a mutex, or waiting, from one event to another (inclusive), in history
/// positions. `open`: still so when the history ends (a deadlock's waits).
struct timeline_span {
  thread_id thread = no_thread;
  std::string what;  ///< "M1 'a.m'", or for a wait what it waits for ("lock M1 'a.m'")
  std::size_t begin = 0, end = 0;
  bool open = false;
  bool key = false;  ///< part of what the finding points at (a wait of the cycle)
};

/// The failing execution, ready for a timeline: one lane per thread.
struct timeline {
  std::vector<std::string> lanes;  ///< "T0", "T1" ... in thread order
  std::vector<std::string> lane_notes;  ///< per lane: "created by T0 at file:line" (empty for T0)
  std::vector<timeline_event> events;
  std::vector<timeline_span> holds;  ///< mutexes (and shared locks) held
  std::vector<timeline_span> waits;  ///< blocked: on a lock, a join, a condition, a permit ...
  /// Stale reads (the weak memory model): from the store the load read (0: the initial value,
  /// the execution's start) to the load, in the load's lane - the reads-from edge.
  std::vector<timeline_span> reads;
};

/// One variant of a scenario, everything the report says about it.
struct variant_report {
  std::string name, variant, summary;
  verdict expected = verdict::clean;
  bool met = true;                         ///< every strategy's expectation held
  std::vector<strategy_result> strategies;
  /// The run the pages show: the first strategy that found something (its failing execution
  /// replayed with full history), or the first strategy's clean run.
  run_report shown;
  std::string text;  ///< `shown` as the text report (render_text): the interleaving for people
  timeline line;     ///< `shown`'s failing execution, for the HTML timeline and the trace
  std::vector<comparison_cell> detectors;  ///< the comparison's cells for it, when one was given
  /// When no strategy found anything: "verified (2 classes)" (dpor explored every class) or
  /// "sampled (N executions)" (over every strategy that ran); empty otherwise.
  std::string coverage;
  std::string full_name() const { return name + "/" + variant; }
};

/// One scenario folder: its variants, its README, the failure mode it illustrates.
struct scenario_report {
  std::string name, failure_mode, readme;
  int mode_number = 0;
  std::vector<variant_report> variants;  ///< broken first, then the fixed ones
};

/// A warning of a source document, quoted.
struct quoted_warning {
  std::string document, quote;
};

/// One row of the failure-mode table (scenarios/failure_modes.h).
struct mode_report {
  int number = 0;
  std::string title, expected;
  std::vector<quoted_warning> warnings;
  std::vector<std::string> scenarios;  ///< names, in catalog order; empty for "debugging is hard"
  std::string served_by;  ///< a row without scenarios: what in the lab answers it
};

struct lab_report {
  std::vector<mode_report> modes;
  std::vector<scenario_report> scenarios;
  std::uint64_t schedules = 0;  ///< executions per strategy and variant
  std::uint64_t seed = 0;
  /// The detectors of the comparison merged in (empty: sim strategies only); its settings.
  std::vector<std::string> detectors;
  std::string comparison_note;  ///< "10 native runs per broken variant ...", or empty
  /// Source lines the reports show on hover: "file:line" -> the line's text (trimmed).
  std::map<std::string, std::string> sources;
  bool interrupted = false;  ///< stopped early (Ctrl-C): variants not run are missing
};

/// A failing execution as a timeline (used by the builder; here so tests can build one from a
/// run report alone). Lanes are the report's threads; holds and waits are paired from the
/// events; `key` marks what the first finding points at.
timeline build_timeline(const run_report& r);

/// The scenario called `name` in `r`, or null (a report of a few scenarios lacks the others).
const scenario_report* find_scenario_report(const lab_report& r, std::string_view name);

/// Derived views every renderer shows the same way.
/// Who found the variant's bug: "sim-random", "sim-pct", then the comparison's columns that did.
std::vector<std::string> found_by(const variant_report& v);
/// "random 1, pct 21" (1-based executions to the first finding per strategy), "-" when none.
std::string first_findings(const variant_report& v);
/// "found in run 1: tsan, data race at file:line", "not found in 10 runs", "not run: why".
std::string cell_text(const comparison_cell& c);
/// The variant's failing execution: its replay command, empty when clean.
std::string replay_command(const variant_report& v);

}  // namespace lab::reports
