#include "scenarios/catalog.h"

#include <algorithm>

namespace lab {

const std::vector<scenario>& catalog() {
  static const std::vector<scenario> all = [] {
    std::vector<scenario> v;
    scenarios::add_lost_update(v);
    scenarios::add_check_then_act(v);
    scenarios::add_double_checked_init(v);
    scenarios::add_unsafe_container(v);
    scenarios::add_lock_order_inversion(v);
    scenarios::add_dining_philosophers(v);
    scenarios::add_self_deadlock(v);
    scenarios::add_pool_deadlock(v);
    scenarios::add_lost_wakeup(v);
    scenarios::add_writer_starvation(v);
    scenarios::add_unfair_lock(v);
    scenarios::add_long_task_head_of_line(v);
    scenarios::add_async_check_then_act(v);
    scenarios::add_async_deadlock(v);
    scenarios::add_blocking_call_in_loop(v);
    scenarios::add_cpu_bound_in_loop(v);
    scenarios::add_blocking_library_call(v);
    scenarios::add_exception_lost_in_gather(v);
    scenarios::add_never_awaited(v);
    scenarios::add_fire_and_forget(v);
    scenarios::add_loop_called_from_thread(v);
    scenarios::add_gil_cpu_threads(v);
    scenarios::add_gil_convoy(v);
    scenarios::add_chatty_ipc(v);
    scenarios::add_fork_with_held_lock(v);
    std::sort(v.begin(), v.end(), [](const scenario& a, const scenario& b) {
      return std::pair(a.name, a.variant) < std::pair(b.name, b.variant);
    });
    return v;
  }();
  return all;
}

const scenario* find_scenario(std::string_view full_name) {
  for (const auto& s : catalog())
    if (s.full_name() == full_name) return &s;
  return nullptr;
}

}  // namespace lab
