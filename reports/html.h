// The HTML report: one self-contained file (no network, no external scripts, styles or fonts)
// with the index and, for every variant with a finding, a timeline of its failing execution.
#pragma once

#include <string>
#include <string_view>

#include "reports/lab_report.h"

namespace lab::reports {

/// report.html. The timeline of a variant (section id "NAME-VARIANT") has one lane
/// (`div.lane`) per thread; each event is a box in its lane at its place in the execution
/// (columns are history order), with the step, the event and its source line on hover (the
/// line's text from `r.sources`). What the finding points at - the racing accesses, the waits
/// of the wait-for cycle, the stalling step, the failed assertion - is highlighted (`.key`);
/// mutexes held and waits are bars under the events. Events after the finding (an execution
/// that ran on) are dimmed. A small inline script shows the details of the event under the
/// pointer, opens every timeline scrolled to its finding, and marks the page ready
/// (`body[data-ready]` = the number of timelines). Every string from the model is escaped.
std::string render_html(const lab_report& r);

/// `s` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string html_escape(std::string_view s);

}  // namespace lab::reports
