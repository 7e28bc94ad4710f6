// Mutex misuse: releasing a mutex one does not own, destroying a mutex that is still locked.
#pragma once

#include "harness/detect/held_locks.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting `mutex_misuse` for an unlock by a thread that does not own the mutex
/// (undefined behaviour for std::mutex) and for a mutex destroyed while locked. Relocking a
/// non-recursive mutex by its owner is left to the deadlock detector: it hangs the real program,
/// so it is reported as the one-thread wait-for cycle it is.
class misuse_detector final : public event_sink {
 public:
  explicit misuse_detector(finding_sink& out) : out_(&out) {}
  void begin_execution(bool) override { locks_.reset(); }
  void on_event(const event& e) override;
  op_mask interest() const override { return mask_of(op::lock_acquired, op::unlock, op::mutex_destroyed); }

 private:
  finding_sink* out_;
  held_locks locks_{false};
};

}  // namespace lab
