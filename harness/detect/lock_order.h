// Lock-order inversions: potential deadlocks seen in executions that did not deadlock.
//
// As ThreadSanitizer's deadlock detector and the Linux kernel's lockdep do: every time a thread
// acquires mutex B while holding A, the edge A -> B joins the lock-order graph of the execution;
// an edge that closes a cycle means some interleaving of the same code can deadlock.
#pragma once

#include <vector>

#include "harness/detect/cycles.h"
#include "harness/detect/held_locks.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting the first lock-order cycle of an execution as `lock_order_inversion`
/// (a potential finding: exploration goes on looking for the deadlock itself), with every edge
/// of the cycle: which thread took which mutex while holding which, and where. try_lock
/// acquisitions add no edge: they cannot block.
class lock_order_detector final : public event_sink {
 public:
  explicit lock_order_detector(finding_sink& out) : out_(&out) {}
  void begin_execution(bool detailed) override;
  void on_event(const event& e) override;
  op_mask interest() const override { return mask_of(op::lock_acquired, op::unlock); }

 private:
  const lock_edge* edge(object_id a, object_id b) const;

  finding_sink* out_;
  held_locks locks_;
  digraph graph_;
  std::vector<lock_edge> edges_;
  bool reported_ = false;
};

}  // namespace lab
