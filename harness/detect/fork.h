// Forking with a lock held: a child process that waits for a mutex nobody in it can release.
#pragma once

#include <vector>

#include "harness/detect/held_locks.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting `deadlock` when a forked child's thread locks its copy of a mutex that
/// another thread of the parent held at the fork (op::lock_inherited): fork() copies only the
/// calling thread, so the holder does not exist in the child and the lock never comes. Definite
/// at once - no schedule can release it - so it is reported at the child's lock, not at the
/// stall that follows. The finding names the child's wait, the holder and where it had taken
/// the mutex (as it was at the fork), and the fork itself as a note.
///
/// POSIX says as much: after fork() in a multithreaded process the child may call only
/// async-signal-safe functions until it calls exec (IEEE Std 1003.1, fork(), "Application
/// usage"). Cost: O(1) per lock event; a fork copies the list of mutexes held at that moment.
class fork_detector final : public event_sink {
 public:
  explicit fork_detector(finding_sink& out) : out_(&out) {}
  void begin_execution(bool) override;
  void on_event(const event& e) override;
  op_mask interest() const override {
    return mask_of(op::lock_acquired, op::unlock, op::process_fork, op::lock_inherited);
  }

 private:
  struct held {
    object_id mutex;
    thread_id holder;
    std::source_location acquired_at;
  };
  finding_sink* out_;
  held_locks locks_{false};  ///< owners only: the cheap books, on every lock event
  event fork_{};              ///< the latest process_fork
  std::vector<held> at_fork_;  ///< the mutexes held when it happened
};

}  // namespace lab
