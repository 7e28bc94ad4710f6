#include "harness/core/verdict.h"

#include <array>

namespace lab {

std::string_view to_string(verdict v) {
  switch (v) {
    case verdict::clean: return "clean";
    case verdict::data_race: return "data_race";
    case verdict::deadlock: return "deadlock";
    case verdict::lost_wakeup: return "lost_wakeup";
    case verdict::lock_order_inversion: return "lock_order_inversion";
    case verdict::mutex_misuse: return "mutex_misuse";
    case verdict::starvation: return "starvation";
    case verdict::livelock: return "livelock";
    case verdict::loop_stall: return "loop_stall";
    case verdict::task_exception_lost: return "task_exception_lost";
    case verdict::never_awaited: return "never_awaited";
    case verdict::task_orphaned: return "task_orphaned";
    case verdict::slowdown: return "slowdown";
    case verdict::assertion_failed: return "assertion_failed";
    case verdict::uncaught_exception: return "uncaught_exception";
    case verdict::crash: return "crash";
    case verdict::timeout: return "timeout";
    case verdict::step_limit: return "step_limit";
  }
  return "?";
}

std::optional<verdict> parse_verdict(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(verdict::step_limit); ++i) {
    auto v = static_cast<verdict>(i);
    if (to_string(v) == name) return v;
  }
  return std::nullopt;
}

}  // namespace lab
