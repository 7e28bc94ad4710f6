// report.json: the whole lab report for tools, in the documented schema
// reports/schema/report.schema.json (JSON Schema 2020-12; the tests validate against it).
#pragma once

#include <string>

#include "reports/lab_report.h"

namespace lab::reports {

/// One JSON object: format "conlab-report", version 1, the settings, failure_modes[] and
/// scenarios[] with their variants - each with its strategies, the comparison's cells, the full
/// run report of `conlab run --format json` ("run") and its timeline.
std::string render_lab_json(const lab_report& r);

}  // namespace lab::reports
