// `conlab report`: runs the catalog, builds the lab report model (reports/lab_report.h) and
// writes the report folder - the index a person opens first, a page per scenario, the HTML
// timeline, and the same findings as JSON, SARIF and Chrome traces for tools.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/options.h"
#include "reports/comparison.h"
#include "reports/lab_report.h"
#include "scenarios/catalog.h"

namespace lab::cli {

/// Explores every chosen variant with both strategies (opts.schedules executions each, as
/// `conlab check`), keeps the report of the first finding, and fills the model: failure modes,
/// scenarios, timelines, and source lines read from `source_root` (lines that cannot be read
/// are left out). With `cmp`, each variant also gets its row's detector cells. Progress lines
/// go to `progress` (may be null). After request_stop() the variants not yet explored are
/// left out and `interrupted` is set.
reports::lab_report build_lab_report(const std::vector<const scenario*>& chosen, const options& opts,
                                     const std::filesystem::path& source_root, const reports::comparison* cmp,
                                     std::FILE* progress);

/// Reads what `conlab compare --format json` (comparison.json) wrote. Throws
/// std::invalid_argument with one line saying what is wrong.
reports::comparison parse_comparison_json(std::string_view text);

/// Writes the report folder, creating it: index.md, index.txt, report.html, report.json,
/// report.sarif, scenarios/NAME.md, variants/NAME.VARIANT.{txt,json} and, for every variant
/// with a finding, traces/NAME.VARIANT.trace.json. Returns the paths written, relative to
/// `dir`. Throws std::runtime_error when a file cannot be written.
std::vector<std::string> write_report_folder(const reports::lab_report& r, const std::filesystem::path& dir);

}  // namespace lab::cli
