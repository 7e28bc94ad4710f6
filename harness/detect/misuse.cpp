#include "harness/detect/misuse.h"

#include <fmt/format.h>

namespace lab {

void misuse_detector::on_event(const event& e) {
  switch (e.kind) {
    case op::lock_acquired: locks_.acquired(e.thread, e.object, e.loc); break;
    case op::unlock: {
      thread_id owner = locks_.owner(e.object);
      std::source_location held_at = locks_.acquired_at(e.object);
      locks_.released(e.object);
      if (owner == e.thread) break;
      finding f{.kind = verdict::mutex_misuse, .thread = e.thread, .step = e.step, .loc = e.loc};
      if (owner == no_thread) {
        f.message = fmt::format("T{} unlocks a mutex that nobody holds", e.thread);
      } else {
        f.message = fmt::format("T{} unlocks a mutex held by T{}", e.thread, owner);
        f.notes.push_back({owner, 0, held_at, "acquired the mutex here"});
      }
      out_->report(std::move(f));
      break;
    }
    case op::mutex_destroyed: {
      thread_id owner = locks_.owner(e.object);
      if (owner == no_thread) break;
      finding f{.kind = verdict::mutex_misuse, .thread = e.thread, .step = e.step, .loc = e.loc};
      f.message = fmt::format("a mutex is destroyed while T{} holds it", owner);
      f.notes.push_back({owner, 0, locks_.acquired_at(e.object), "acquired the mutex here"});
      out_->report(std::move(f));
      break;
    }
    default: break;
  }
}

}  // namespace lab
