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

/// Writes the report folder, creating it: index.md, index.txt, report.html, report.json,
/// report.sarif, scenarios/NAME.md, variants/NAME.VARIANT.{txt,json} and, for every variant
/// with a finding, traces/NAME.VARIANT.trace.json. Returns the paths written, relative to
/// `dir`. Throws std::runtime_error when a file cannot be written.
std::vector<std::string> write_report_folder(const lab_report& r, const std::filesystem::path& dir);

}  // namespace lab::reports
