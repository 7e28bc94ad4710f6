#include "harness/detect/fork.h"

#include <fmt/format.h>

namespace lab {

void fork_detector::begin_execution(bool) {
  reset_own();
  fork_ = {};
  at_fork_.clear();
}

void fork_detector::handle(const event& e) {
  switch (e.kind) {
    case op::process_fork:
      fork_ = e;
      at_fork_.clear();
      locks().each_owned([&](object_id m, thread_id t, std::source_location at) { at_fork_.push_back({m, t, at}); });
      break;
    case op::lock_inherited: {
      auto [original, holder] = inherited_lock::unpack(e.arg);
      std::source_location acquired_at{};
      for (const held& h : at_fork_)
        if (h.mutex == original && h.holder == holder) acquired_at = h.acquired_at;
      finding f{.kind = verdict::deadlock,
                .message = fmt::format("a forked child locks a mutex that {} held at the fork: fork copies only the "
                                       "calling thread, so nobody in the child will ever unlock it",
                                       holder),
                .thread = e.thread,
                .step = e.step,
                .loc = e.loc};
      f.waits.push_back({.thread = e.thread,
                         .what = wait_info::on::mutex,
                         .object = e.object,
                         .holder = holder,
                         .step = e.step,
                         .loc = e.loc,
                         .held_at = acquired_at});
      if (acquired_at.line() != 0)
        f.notes.push_back({holder, 0, acquired_at,
                           "took the mutex here, before the fork: in the child its copy stays locked forever"});
      if (fork_.kind == op::process_fork)
        f.notes.push_back({fork_.thread, fork_.step, fork_.loc,
                           fmt::format("forked the child (its only thread: {}) while {} held the mutex", thread_id{static_cast<std::uint32_t>(fork_.arg)},
                                       holder)});
      out_->report(std::move(f));
      break;
    }
    default: break;
  }
}

}  // namespace lab
