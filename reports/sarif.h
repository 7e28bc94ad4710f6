// report.sarif: the findings as SARIF 2.1.0 (OASIS), so that CI code scanning shows each bug on
// its source line with the interleaving that produced it.
#pragma once

#include <string>

#include "reports/lab_report.h"

namespace lab::reports {

/// One run of tool "conlab": a rule per verdict, a result per variant with a finding - its
/// message, primary location, related locations (the other access, the holder's acquisition,
/// notes) - and one codeFlow whose threadFlows are the threads of the failing execution (one
/// threadFlow per thread, id "T<n>", its events in order; executionOrder is the event's step,
/// so the flows interleave as the execution did; the events the finding points at are
/// "essential"). URIs are relative to uriBaseId SRCROOT, the source tree. Events with no known
/// source line are left out; long executions keep the last 400 events before the finding.
std::string render_sarif(const lab_report& r);

}  // namespace lab::reports
