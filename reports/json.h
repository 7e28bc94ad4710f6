// The JSON report: the stable field names of docs/cli.md ("JSON").
#pragma once

#include <string>

#include "harness/trace/report.h"

namespace lab::reports {

/// One JSON object (pretty-printed, 2-space indent) with: scenario, variant, backend, strategy,
/// seed, schedule, steps, verdict, replay, reproduced, note, findings[], threads[], objects[],
/// interleaving[], stats{executions, steps, elapsed_s}. Every source location is
/// {"file", "line"}; objects are named by their short ids ("M1"), threads as "T1".
std::string render_json(const run_report& r);

}  // namespace lab::reports
