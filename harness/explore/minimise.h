// Minimal counterexamples: before a finding is reported, the simplest execution that shows it.
//
// Simplest means, in this order: the fewest preemptions (harness/scheduler/pb.h), then the
// fewest steps. The search is iterative preemption bounding (Musuvathi, Qadeer, PLDI 2007):
// every schedule with 0 preemptions, then with 1 ... up to the finding's own count, stopping at
// the first bound where an execution shows a finding of the same kind; at that bound it goes on
// a little to keep the shortest. Lincheck's minimised traces (Koval, Alistarh, Sokolova,
// "Testing concurrency on the JVM with Lincheck", PPoPP 2020) are the anchor: a learner reads
// one preemption, not forty.
//
// A bound searched to its end with no such execution *rules out* that count, so "minimal: 1
// preemption" is a claim the search proved; when a bound's search hit the budget first, the
// report says "simplest found" instead. Fairness-dependent verdicts (starvation, livelock, the
// step limit) are not minimised: bounded search runs unfair schedules, where they mean nothing.
// Cost: at most `budget` executions per bound, at most four bounds. Thread-safety: none (it
// runs on the worker it is given).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/explore/worker.h"

namespace lab {

struct minimised {
  candidate chosen;             ///< the execution to report (the original index, its choices)
  std::uint64_t preemptions = 0;  ///< of `chosen`
  bool minimal = false;         ///< no execution with fewer preemptions shows the finding
  std::string summary;          ///< "minimal: 1 preemption (...), 12 steps; ..." for the report
};

/// The preemptions of the execution `choices` describes (replayed once on `w`); a preemption
/// is a switch away from a thread that could go on (harness/scheduler/pb.h).
std::uint64_t count_preemptions(worker& w, const body_fn& body, const options& opts, const schedule& choices);

/// True for the verdicts minimisation looks for (not those that need fair schedules).
bool minimisable(verdict v);

/// The simplest execution showing a finding of `found.kind`, found in at most `budget`
/// executions per preemption bound on a worker of its own; `found` itself (with its counts)
/// when nothing simpler turns up, and with an empty summary for a verdict that is not
/// minimisable. `steps` is the steps of `found`.
minimised minimise(const body_fn& body, const options& opts, const candidate& found, std::uint32_t steps,
                   std::uint64_t budget);

}  // namespace lab
