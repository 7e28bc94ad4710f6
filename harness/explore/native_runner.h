// The native backend: a scenario on real std::threads, so sanitizers see the real accesses.
#pragma once

#include <string_view>

#include "harness/core/options.h"
#include "harness/trace/report.h"

namespace lab {

/// The prefix of the progress lines a marked native run writes to stderr.
inline constexpr std::string_view native_mark = "==conlab== ";

/// Runs `body` `opts.runs` times on real threads (lab primitives fall through to std ones),
/// each under a watchdog of `opts.timeout` seconds. Stops at the first run with a finding
/// (lab::assert_that, an exception escaping a thread). A run still going at its deadline is
/// reported as `timeout` and `hung` is set: its threads cannot be stopped, so the caller must
/// end the process (after printing the report) rather than return to code that may touch them.
/// Data races are not detected here: build with the tsan preset and ThreadSanitizer reports them.
///
/// With the environment variable CONLAB_NATIVE_MARKS set, it writes `native_mark` lines to
/// stderr - "run I of N" before each run, "finding in run I: VERDICT: MESSAGE" at a finding - so
/// that a supervisor can place a sanitizer's or valgrind's report in the run that produced it.
run_report run_native(std::string_view name, void (*body)(), const options& opts, bool& hung);

}  // namespace lab
