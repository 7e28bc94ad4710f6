#include "harness/detect/misuse.h"

#include <fmt/format.h>

namespace lab {

void misuse_detector::check(const event& e) {
  switch (e.kind) {
    case op::unlock: {
      thread_id owner = locks().owner(e.object);
      std::source_location held_at = locks().acquired_at(e.object);
      if (owner == e.thread) break;
      finding f{.kind = verdict::mutex_misuse, .thread = e.thread, .step = e.step, .loc = e.loc};
      if (owner == no_thread) {
        f.message = fmt::format("{} unlocks a mutex that nobody holds", e.thread);
      } else {
        f.message = fmt::format("{} unlocks a mutex held by {}", e.thread, owner);
        f.notes.push_back({owner, 0, held_at, "acquired the mutex here"});
      }
      out_->report(std::move(f));
      break;
    }
    case op::mutex_destroyed: {
      thread_id owner = locks().owner(e.object);
      if (owner == no_thread) break;
      finding f{.kind = verdict::mutex_misuse, .thread = e.thread, .step = e.step, .loc = e.loc};
      f.message = fmt::format("a mutex is destroyed while {} holds it", owner);
      f.notes.push_back({owner, 0, locks().acquired_at(e.object), "acquired the mutex here"});
      out_->report(std::move(f));
      break;
    }
    default: break;
  }
}

}  // namespace lab
