// Mutex misuse: releasing a mutex one does not own, destroying a mutex that is still locked.
#pragma once

#include "harness/detect/context.h"
#include "harness/detect/lock_table.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting `mutex_misuse` for an unlock by a thread that does not own the mutex
/// (undefined behaviour for std::mutex) and for a mutex destroyed while locked. Relocking a
/// non-recursive mutex by its owner is left to the deadlock detector: it hangs the real program,
/// so it is reported as the one-thread wait-for cycle it is.
class misuse_detector final : public event_sink, private lock_aware {
 public:
  static constexpr op_mask ops = mask_of(op::unlock, op::mutex_destroyed);
  static constexpr sink_hooks hooks{};

  /// On its own, with a lock table of its own.
  explicit misuse_detector(finding_sink& out) : out_(&out) {}
  /// In a detector set: reads the set's lock table.
  explicit misuse_detector(const detector_context& c) : lock_aware(c.locks), out_(&c.out) {}
  void begin_execution(bool) override { reset_own(); }
  void on_event(const event& e) override {
    handle(e);
    update_own(e);
  }
  op_mask interest() const override { return ops | lock_table::ops; }
  /// on_event without the own table's update: what a detector set calls. Only unlock and
  /// mutex_destroyed can be misuse; lock_acquired matters to the table alone.
  void handle(const event& e) {
    if (e.kind == op::lock_acquired) return;
    if (e.kind == op::unlock && locks().owner(e.object) == e.thread) return;  // the owner unlocks: fine
    check(e);
  }

 private:
  void check(const event& e);
  finding_sink* out_;
};

}  // namespace lab
