// Inside the reports library: the JSON of a run report as a value, for the renderers that embed
// it (the lab report's JSON). Not installed; the public face is reports/json.h.
#pragma once

#include <source_location>

#include <nlohmann/json.hpp>

#include "harness/trace/report.h"

namespace lab::reports {

/// The object render_json prints.
nlohmann::json run_json(const run_report& r);
/// {"file", "line"}, or null for an unknown location.
nlohmann::json loc_json(const std::source_location& loc);

}  // namespace lab::reports
