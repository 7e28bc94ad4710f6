// Names as every renderer prints them: T1, M1 'a.m', file:line, verdict titles.
#pragma once

#include <source_location>
#include <string>
#include <string_view>

#include "harness/trace/report.h"

namespace lab::reports {

/// "file:line", or "?" for an unknown location.
std::string where(const std::source_location& loc);
/// "M1 'a.m'" (or "M1" when unnamed) for an object of the report.
std::string object_label(const run_report& r, object_id id);
/// "M1" alone.
std::string object_short_id(const run_report& r, object_id id);
/// Human title of a verdict, as the WARNING line says it ("data race", "lost wakeup").
std::string_view title(verdict v);
/// "lost_update" and "broken" from "lost_update/broken" (variant empty when there is no '/').
std::pair<std::string_view, std::string_view> split_name(std::string_view full);
/// The short text of one event for the interleaving table ("lock M1 'a.m'", "read V1 'x' = 0").
std::string describe(const run_report& r, const event& e);
/// Text safe inside a Markdown table cell: '|' escaped, line breaks as spaces.
std::string md_cell(std::string_view s);

}  // namespace lab::reports
