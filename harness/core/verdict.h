// The closed vocabulary of outcomes: every execution, run and check ends in exactly one verdict.
#pragma once

#include <optional>
#include <string_view>

namespace lab {

/// What an exploration concluded. Closed on purpose: renderers and the catalog switch over it
/// without `default`, so adding a verdict makes the compiler point at every place to update.
/// Spelled in snake_case in JSON and on the command line (`to_string`, `parse_verdict`).
enum class verdict {
  clean,                 ///< no finding in any explored execution
  data_race,             ///< two accesses to a shared variable, one a write, unordered by happens-before
  deadlock,              ///< threads blocked forever (a wait-for cycle, or waiting on something that never comes)
  lost_wakeup,           ///< a waiter blocked forever on a condition variable notified before the wait began
  lock_order_inversion,  ///< locks taken in conflicting orders: a potential deadlock that did not happen
  mutex_misuse,          ///< unlock by a non-owner, destroying a locked mutex
  starvation,            ///< a thread wanted a resource far longer than others who got it meanwhile
  livelock,              ///< threads keep running but none completes an operation
  loop_stall,            ///< one task held the event loop longer than the threshold
  task_exception_lost,   ///< a task's exception was never retrieved
  never_awaited,         ///< a coroutine was created and dropped without being awaited
  task_orphaned,         ///< a task was still pending when the loop's main task finished (run() cancelled it)
  slowdown,              ///< a measured duration exceeded the budget the program declared for it
  assertion_failed,      ///< a lab::assert_that in the scenario did not hold
  uncaught_exception,    ///< an exception escaped a thread's function
  crash,                 ///< the program would have terminated (e.g. a joinable thread destroyed)
  timeout,               ///< a native run did not finish within its wall-clock limit
  step_limit,            ///< a simulated execution exceeded its step limit (a hang or a very long run)
};

/// snake_case name, as in JSON.
std::string_view to_string(verdict v);

/// Inverse of to_string; nullopt for an unknown name.
std::optional<verdict> parse_verdict(std::string_view name);

/// A potential finding does not stop exploration: a definite one found later takes precedence,
/// and it is reported only if nothing definite turns up. A lock-order inversion is a deadlock
/// that did not happen; an orphaned task is usually the trace of a worse bug (a lost exception,
/// a failed gather), which is reported instead when there is one.
constexpr bool is_potential(verdict v) { return v == verdict::lock_order_inversion || v == verdict::task_orphaned; }

/// A definite finding about time (who waited how long) does not cut its execution short: the
/// execution runs to its end so that what it measures (request latencies) is complete. The
/// first finding of the execution stays its verdict; a later fatal one (a stall, the step limit)
/// still ends it.
constexpr bool runs_to_end(verdict v) {
  return v == verdict::starvation || v == verdict::loop_stall || v == verdict::slowdown;
}

}  // namespace lab
