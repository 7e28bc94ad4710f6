// The scenario catalog: every broken and fixed variant the lab ships, with its expected verdict.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/core/verdict.h"

namespace lab {

/// One variant of one scenario. A broken variant declares the verdict the lab must reach; a
/// fixed variant declares `clean`. The body runs unchanged on both backends.
struct scenario {
  std::string_view name;          ///< folder under scenarios/, e.g. "lost_update"
  std::string_view variant;       ///< "broken", "fixed", or "fixed_<how>"
  std::string_view failure_mode;  ///< the row of FAILURE_MODES.md it illustrates
  verdict expected = verdict::clean;
  std::string_view summary;       ///< one line: what this variant does
  void (*body)() = nullptr;
  /// Broken variants only: the strategies expected to find the bug ("pct"), when not all of
  /// them; `why_not` says why the others cannot (e.g. random is fair by construction).
  std::string_view found_by = {};
  std::string_view why_not = {};

  /// True when `strategy` is expected to reach the declared verdict.
  bool expects(std::string_view strategy) const {
    return expected == verdict::clean || found_by.empty() || found_by == strategy;
  }
  std::string full_name() const { return std::string(name) + "/" + std::string(variant); }
  std::string readme() const { return "scenarios/" + std::string(name) + "/README.md"; }
};

/// Every variant, sorted by name then variant.
const std::vector<scenario>& catalog();

/// The variant called "name/variant", or null.
const scenario* find_scenario(std::string_view full_name);

namespace scenarios {
// Each scenario folder contributes its variants through one of these.
void add_lost_update(std::vector<scenario>& out);
void add_check_then_act(std::vector<scenario>& out);
void add_double_checked_init(std::vector<scenario>& out);
void add_unsafe_container(std::vector<scenario>& out);
void add_lock_order_inversion(std::vector<scenario>& out);
void add_dining_philosophers(std::vector<scenario>& out);
void add_self_deadlock(std::vector<scenario>& out);
void add_pool_deadlock(std::vector<scenario>& out);
void add_lost_wakeup(std::vector<scenario>& out);
void add_writer_starvation(std::vector<scenario>& out);
void add_unfair_lock(std::vector<scenario>& out);
void add_long_task_head_of_line(std::vector<scenario>& out);
void add_async_check_then_act(std::vector<scenario>& out);
void add_async_deadlock(std::vector<scenario>& out);
void add_blocking_call_in_loop(std::vector<scenario>& out);
void add_cpu_bound_in_loop(std::vector<scenario>& out);
void add_blocking_library_call(std::vector<scenario>& out);
void add_exception_lost_in_gather(std::vector<scenario>& out);
void add_never_awaited(std::vector<scenario>& out);
void add_fire_and_forget(std::vector<scenario>& out);
void add_loop_called_from_thread(std::vector<scenario>& out);
void add_gil_cpu_threads(std::vector<scenario>& out);
void add_gil_convoy(std::vector<scenario>& out);
void add_chatty_ipc(std::vector<scenario>& out);
void add_fork_with_held_lock(std::vector<scenario>& out);
}  // namespace scenarios

}  // namespace lab
