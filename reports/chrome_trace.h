// A failing execution as Chrome Trace Event JSON: it opens in Perfetto (ui.perfetto.dev, or
// offline builds of it) and chrome://tracing, one track per thread.
#pragma once

#include <string>

#include "reports/lab_report.h"

namespace lab::reports {

/// traces/NAME.VARIANT.trace.json. The clock is the execution's order: 1 us per event of its
/// history (virtual time and the step are in each event's args). Per thread: a track "T<n>"
/// with an instant event per operation; a track "T<n> waits" with a slice per wait (to the end
/// when it never ended: a deadlock); and a track "T<n> holds <mutex>" per mutex it held, a
/// slice per hold - separate tracks, so slices on one track never overlap. What the finding
/// points at has args.key = true and category "key".
std::string render_chrome_trace(const variant_report& v);

}  // namespace lab::reports
