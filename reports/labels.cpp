#include "reports/labels.h"

#include <fmt/format.h>

namespace lab::reports {

std::string where(const std::source_location& loc) {
  if (loc.file_name() == nullptr || *loc.file_name() == '\0') return "?";
  return fmt::format("{}:{}", loc.file_name(), loc.line());
}

std::string object_short_id(const run_report& r, object_id id) {
  if (id >= r.objects.size()) return "?";
  return fmt::format("{}", r.objects[id]);
}

std::string object_label(const run_report& r, object_id id) {
  if (id >= r.objects.size()) return "?";
  const auto& o = r.objects[id];
  if (o.name.empty()) return object_short_id(r, id);
  if (o.kind == object_kind::coro_task) return fmt::format("{} '{}'", object_short_id(r, id), coroutine_name(o.name.c_str()));
  return fmt::format("{} '{}'", object_short_id(r, id), o.name);
}

std::string_view title(verdict v) {
  switch (v) {
    case verdict::clean: return "clean";
    case verdict::data_race: return "data race";
    case verdict::deadlock: return "deadlock";
    case verdict::lost_wakeup: return "lost wakeup";
    case verdict::lock_order_inversion: return "lock-order inversion (potential deadlock)";
    case verdict::mutex_misuse: return "mutex misuse";
    case verdict::starvation: return "starvation";
    case verdict::livelock: return "livelock";
    case verdict::loop_stall: return "event loop stall";
    case verdict::task_exception_lost: return "task exception never retrieved";
    case verdict::never_awaited: return "coroutine never awaited";
    case verdict::task_orphaned: return "task orphaned (still running when main finished)";
    case verdict::slowdown: return "slowdown (over its time budget)";
    case verdict::assertion_failed: return "assertion failed";
    case verdict::uncaught_exception: return "uncaught exception";
    case verdict::crash: return "crash";
    case verdict::timeout: return "timeout";
    case verdict::step_limit: return "step limit exceeded";
  }
  return "?";
}

std::pair<std::string_view, std::string_view> split_name(std::string_view full) {
  auto slash = full.find('/');
  if (slash == std::string_view::npos) return {full, {}};
  return {full.substr(0, slash), full.substr(slash + 1)};
}

std::string describe(const run_report& r, const event& e) {
  std::string what(to_string(e.kind));
  switch (e.kind) {
    case op::thread_spawn:
    case op::process_fork:
    case op::thread_join:
    case op::join_blocked: what += fmt::format(" {}", thread_id{e.arg}); break;
    case op::sleep:
    case op::work: what += fmt::format(" {:.3f} ms", static_cast<double>(e.arg) / 1e6); break;
    case op::cv_notify_one:
    case op::cv_notify_all: what += fmt::format(" {} ({} waiting)", object_label(r, e.object), e.arg); break;
    case op::cv_woken:
      what += fmt::format(" {}{}", object_label(r, e.object),
                          e.arg == arg_of(wake_reason::spurious)    ? " (spurious)"
                          : e.arg == arg_of(wake_reason::timed_out) ? " (timed out)"
                                                                    : "");
      break;
    case op::atomic_fence: what += fmt::format(" {}", to_string(e.order)); break;
    case op::coro_waits:  // the task, and the task or async primitive it awaits
      what += fmt::format(" {} on {}", object_label(r, e.object), object_label(r, static_cast<object_id>(e.arg)));
      break;
    case op::coro_acquired:
    case op::coro_released:  // the async lock, and the task that holds it
      what += fmt::format(" {} by {}", object_label(r, static_cast<object_id>(e.arg)), object_label(r, e.object));
      break;
    case op::lock_acquired:
      what += " " + object_label(r, e.object) + (e.arg == arg_of(lock_how::inherited) ? " (the forker's, inherited)" : "");
      break;
    default:
      if (e.object != no_object) what += " " + object_label(r, e.object);
      if (e.has_value) what += fmt::format(" = {}", static_cast<std::int64_t>(e.arg));
      if (e.kind == op::atomic_load && e.stale > 0) what += " (stale)";
      if (e.kind == op::atomic_store && e.stale > 0) what += fmt::format(" (before {} in mo)", e.stale);
  }
  return what;
}

std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace lab::reports
