// The text report: ThreadSanitizer's layout, stable short ids, and the replay line last.
#pragma once

#include <string>

#include "harness/trace/report.h"

namespace lab::reports {

/// Lays out `r` for a terminal or a log. Deterministic: no addresses and no timings, so golden
/// tests compare it byte for byte. Ends with "Replay: conlab replay <token>" when there is a
/// finding. `max_rows` bounds the interleaving table (the first and last steps are kept).
std::string render_text(const run_report& r, std::size_t max_rows = 60);

}  // namespace lab::reports
