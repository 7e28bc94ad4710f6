#include "harness/detect/task_lifecycle.h"

#include <fmt/format.h>

namespace lab {

void task_lifecycle_detector::begin_execution(bool) {
  coros_.clear();
  reported_ = orphan_reported_ = false;
}

task_lifecycle_detector::coro& task_lifecycle_detector::of(object_id id) {
  if (id >= coros_.size()) coros_.resize(id + 1);
  return coros_[id];
}

void task_lifecycle_detector::on_event(const event& e) {
  if (reported_ || e.object == no_object) return;
  coro& c = of(e.object);
  switch (e.kind) {
    case op::coro_created:
      c = {};
      c.known = true;
      c.created = e;
      return;
    case op::coro_scheduled:
      c.started = c.spawned = true;
      c.spawned_at = e;
      return;
    case op::coro_awaited: c.started = true; return;
    case op::coro_suspended:
      if (e.arg == arg_of(step_end::failed)) {
        c.failed = true;
        c.ended = e;
      }
      return;
    case op::coro_retrieved: c.retrieved = true; return;
    case op::coro_dropped: break;
    case op::coro_orphaned: {
      if (orphan_reported_ || !c.known) return;
      orphan_reported_ = true;
      std::string name = coroutine_name(e.loc.function_name());
      std::string main = e.arg < coros_.size() && coros_[e.arg].known
                             ? coroutine_name(coros_[e.arg].created.loc.function_name())
                             : std::string("main");
      finding f{.kind = verdict::task_orphaned,
                .message = fmt::format("task '{}' was still running when '{}' finished: the loop cancelled it, and "
                                       "the work it had left was lost (nobody awaited it)",
                                       name, main),
                .thread = e.thread,
                .step = e.step,
                .loc = c.spawned ? c.spawned_at.loc : c.created.loc};
      if (c.spawned)
        f.notes.push_back({c.spawned_at.thread, c.spawned_at.step, c.spawned_at.loc, fmt::format("spawned '{}'", name)});
      f.notes.push_back({e.thread, e.step, e.loc, fmt::format("'{}' finished with '{}' still pending", main, name)});
      out_->report(std::move(f));
      return;
    }
    default: return;
  }
  if (!c.known) return;
  std::string name = coroutine_name(e.loc.function_name());
  if (!c.started) {
    reported_ = true;
    finding f{.kind = verdict::never_awaited,
              .message = fmt::format("coroutine '{}' was created but never awaited or spawned: its body never ran",
                                     name),
              .thread = e.thread,
              .step = e.step,
              .loc = c.created.loc};
    f.notes.push_back({c.created.thread, c.created.step, c.created.loc,
                       fmt::format("created '{}' (defined here) and dropped it at step {} without awaiting it", name, e.step)});
    out_->report(std::move(f));
  } else if (c.spawned && c.failed && !c.retrieved) {
    reported_ = true;
    finding f{.kind = verdict::task_exception_lost,
              .message = fmt::format("task '{}' ended with an exception that nobody retrieved (it was never awaited "
                                     "after it failed)",
                                     name),
              .thread = c.spawned_at.thread,
              .step = e.step,
              .loc = c.spawned_at.loc};
    f.notes.push_back({c.spawned_at.thread, c.spawned_at.step, c.spawned_at.loc, fmt::format("spawned '{}'", name)});
    f.notes.push_back({c.ended.thread, c.ended.step, c.ended.loc, "ran its last step, which ended with the exception"});
    out_->report(std::move(f));
  }
}

}  // namespace lab
