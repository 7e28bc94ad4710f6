// Forking with a lock held: a child process that waits for a mutex nobody in it can release.
#pragma once

#include <vector>

#include "harness/detect/context.h"
#include "harness/detect/lock_table.h"
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
class fork_detector final : public event_sink, private lock_aware {
 public:
  static constexpr op_mask ops = mask_of(op::process_fork, op::lock_inherited);
  static constexpr sink_hooks hooks{};

  /// On its own, with a lock table of its own.
  explicit fork_detector(finding_sink& out) : out_(&out) {}
  /// In a detector set: reads the set's lock table.
  explicit fork_detector(const detector_context& c) : lock_aware(c.locks), out_(&c.out) {}
  void begin_execution(bool) override;
  void on_event(const event& e) override {
    handle(e);
    update_own(e);
  }
  op_mask interest() const override { return ops | lock_table::ops; }
  /// on_event without the own table's update: what a detector set calls.
  void handle(const event& e);

 private:
  struct held {
    object_id mutex;
    thread_id holder;
    std::source_location acquired_at;
  };
  finding_sink* out_;
  event fork_{};              ///< the latest process_fork
  std::vector<held> at_fork_;  ///< the mutexes held when it happened
};

}  // namespace lab
