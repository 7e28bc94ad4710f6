// The report folder of `conlab report`: the catalog explored, the lab report model built from it
// (reports/lab_report.h), and every page written - the index a person opens first, a page per
// scenario, the HTML timeline, and the same findings as JSON, SARIF and Chrome traces for tools.
// This is the builder of the model; the renderers beside it only lay the model out.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/core/options.h"
#include "reports/comparison.h"
#include "reports/lab_report.h"
#include "scenarios/catalog.h"

namespace lab::reports {

/// Checks every chosen variant with the registry's checking strategies (harness/explore/check.h,
/// opts.schedules executions each, as `conlab check`), keeps the report of the first finding,
/// and fills the model: failure modes, scenarios, timelines, and source lines read from
/// `source_root` (lines that cannot be read are left out). With `cmp`, each variant also gets
/// its row's detector cells. Progress lines go to `progress` (may be null). After
/// request_stop() the variants not yet explored are left out and `interrupted` is set.
lab_report build_lab_report(const std::vector<const scenario*>& chosen, const options& opts,
                            const std::filesystem::path& source_root, const comparison* cmp, std::FILE* progress);

/// The file that marks a folder as conlab's report folder, listing what the report wrote.
inline constexpr std::string_view report_marker = ".conlab-report";

/// Takes `dir` for a report, before any work: creates it; or takes it when it is empty, or holds
/// a report written here before (its marker), whose files it removes - so a smaller report
/// leaves no stale pages. A folder that is neither is refused unless `force` (the report would
/// write among someone else's files: `--out /` once wrote into the filesystem root). Throws
/// std::invalid_argument with one line when refused or when the folder cannot be written.
void claim_report_folder(const std::filesystem::path& dir, bool force);

/// Writes the report folder, creating it: index.md, index.txt, report.html, report.json,
/// report.sarif, scenarios/NAME.md, variants/NAME.VARIANT.{txt,json} and, for every variant
/// with a finding, traces/NAME.VARIANT.trace.json, comparison.{md,json} when `cmp` is given (the
/// detector comparison the report merged in), then the marker (report_marker) listing them.
/// Returns the paths written, relative to `dir`. Throws std::runtime_error when a file cannot be
/// written.
std::vector<std::string> write_report_folder(const lab_report& r, const std::filesystem::path& dir,
                                             const comparison* cmp = nullptr);

}  // namespace lab::reports
