// The report folder for people: the Markdown index (opened first), a page per scenario, and the
// same index as terminal text.
#pragma once

#include <string>

#include "reports/lab_report.h"

namespace lab::reports {

/// index.md: a table with one row per broken variant under every failure mode - the
/// documents' warning, the verdict against the expected one, the detectors that found it,
/// executions to the first finding, the replay command - and how its fix fared. Links go to
/// scenarios/NAME.md. Deterministic when `r` has no comparison (no timings anywhere).
std::string render_index_markdown(const lab_report& r);

/// scenarios/NAME.md: the failure mode and the documents' words, then per variant (broken
/// first) what it does, what each strategy found, the report with its interleaving, and a
/// table of how each detector fared on the broken and the fixed variants.
std::string render_scenario_markdown(const lab_report& r, const scenario_report& s);

/// index.txt and `conlab report`'s output: one line per variant under its failure mode, then the
/// totals. `colour`: ANSI colours (only for a terminal).
std::string render_index_text(const lab_report& r, bool colour);

}  // namespace lab::reports
