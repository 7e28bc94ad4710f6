#include "harness/explore/minimise.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/explore/explorer.h"
#include "harness/scheduler/pb.h"
#include "harness/scheduler/replay.h"

namespace lab {
namespace {

std::string preemptions_text(std::uint64_t n) { return fmt::format("{} preemption{}", n, n == 1 ? "" : "s"); }

bool shows(const rt::execution_outcome& out, verdict kind) {
  if (out.definite) return out.definite->kind == kind;
  return is_potential(kind) && out.potential && out.potential->kind == kind;
}

/// After the first execution that shows the finding at a bound, how many more the search makes
/// there looking for a shorter one.
constexpr std::uint64_t shorter_tries = 200;

}  // namespace

std::uint64_t count_preemptions(worker& w, const body_fn& body, const options& opts, const schedule& choices) {
  replay_strategy rs(choices, 0, "replay");
  preemption_counter counter(rs);
  counter.begin_execution(0);
  w.run(body, counter, {.max_steps = opts.max_steps});
  return counter.count();
}

bool minimisable(verdict v) {
  switch (v) {
    case verdict::starvation:
    case verdict::livelock:
    case verdict::step_limit:
    case verdict::timeout:
    case verdict::clean: return false;
    case verdict::data_race:
    case verdict::deadlock:
    case verdict::lost_wakeup:
    case verdict::lock_order_inversion:
    case verdict::mutex_misuse:
    case verdict::loop_stall:
    case verdict::task_exception_lost:
    case verdict::never_awaited:
    case verdict::task_orphaned:
    case verdict::slowdown:
    case verdict::assertion_failed:
    case verdict::uncaught_exception:
    case verdict::crash: return true;
  }
  return false;
}

minimised minimise(const body_fn& body, const options& given, const candidate& found, std::uint32_t steps,
                   std::uint64_t budget) {
  // Bounded search runs unfair schedules: starvation means nothing there, and a starvation
  // report must not stand in front of the finding looked for.
  options opts = given;
  opts.starve_grants = 0;
  opts.starve_ms = 0;
  worker w(opts, found.weak);
  minimised out{.chosen = found, .preemptions = count_preemptions(w, body, opts, found.choices)};
  const std::uint64_t first = out.preemptions;
  if (!minimisable(found.kind)) return out;
  const std::uint64_t top = std::min<std::uint64_t>(first, 3);
  bool ruled_out = true;  // every bound below the current one was searched to its end
  for (std::uint64_t k = 0; k <= top && !stop_was_requested(); ++k) {
    pb_strategy search(budget, k, opts.spurious > 0);
    std::optional<schedule> best;
    std::uint32_t best_steps = 0;
    std::uint64_t best_preemptions = 0, after = 0;
    for (std::uint64_t i = 0; search.begin_execution(i); ++i) {
      w.run(body, search, {.max_steps = opts.max_steps, .record_choices = true});
      const rt::execution_outcome& o = w.ex.outcome();
      if (shows(o, found.kind) && (!best || o.steps < best_steps)) {
        best = w.ex.choices();
        best_steps = o.steps;
        best_preemptions = search.preemptions();
      }
      if (best && ++after > shorter_tries) break;
    }
    if (best) {
      const bool simpler = best_preemptions < first || (best_preemptions == first && best_steps < steps);
      if (simpler) {
        out.chosen.choices = std::move(*best);
        out.preemptions = best_preemptions;
      } else {
        best_steps = steps;
      }
      out.minimal = ruled_out && best_preemptions <= k;
      out.summary = out.minimal ? fmt::format("minimal: {} (no execution with fewer shows it), {} steps{}",
                                              preemptions_text(out.preemptions), best_steps,
                                              search.exhausted() ? ", the fewest of any that does" : "")
                                : fmt::format("simplest found: {}, {} steps (fewer preemptions not ruled out within "
                                              "{} executions per bound)",
                                              preemptions_text(out.preemptions), best_steps, budget);
      if (simpler) out.summary += fmt::format("; first found with {} and {} steps", preemptions_text(first), steps);
      return out;
    }
    if (!search.exhausted()) ruled_out = false;
  }
  out.summary = fmt::format("simplest found: {}, {} steps, as first found", preemptions_text(first), steps);
  if (top < first)
    out.summary += fmt::format(" (no execution with at most {} shows it{})", preemptions_text(top),
                               ruled_out ? "" : fmt::format(" within {} executions per bound", budget));
  return out;
}

}  // namespace lab
