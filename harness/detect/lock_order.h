// Lock-order inversions: potential deadlocks seen in executions that did not deadlock.
//
// As ThreadSanitizer's deadlock detector and the Linux kernel's lockdep do: every time a thread
// acquires mutex B while holding A, the edge A -> B joins the lock-order graph of the execution;
// an edge that closes a cycle means some interleaving of the same code can deadlock.
#pragma once

#include <vector>

#include "harness/detect/cycles.h"
#include "harness/detect/context.h"
#include "harness/detect/lock_table.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting the first lock-order cycle of an execution as `lock_order_inversion`
/// (a potential finding: exploration goes on looking for the deadlock itself), with every edge
/// of the cycle: which thread took which mutex while holding which, and where. try_lock
/// acquisitions add no edge: they cannot block.
class lock_order_detector final : public event_sink, private lock_aware {
 public:
  static constexpr op_mask ops = mask_of(op::lock_acquired);  ///< releases: the lock table's
  static constexpr sink_hooks hooks{};

  /// On its own, with a lock table of its own.
  explicit lock_order_detector(finding_sink& out) : out_(&out) {}
  /// In a detector set: reads the set's lock table.
  explicit lock_order_detector(const detector_context& c) : lock_aware(c.locks), out_(&c.out) {}
  void begin_execution(bool detailed) override;
  void on_event(const event& e) override {
    handle(e);
    update_own(e);
  }
  op_mask interest() const override { return ops | lock_table::ops; }
  /// on_event without the own table's update: what a detector set calls. A lock taken while
  /// holding none adds no edge: the common case returns at once.
  void handle(const event& e) {
    if (e.kind == op::lock_acquired && !locks().of(e.thread).empty()) acquired_while_holding(e);
  }

 private:
  void acquired_while_holding(const event& e);
  const lock_edge* edge(object_id a, object_id b) const;

  finding_sink* out_;
  digraph graph_;
  std::vector<lock_edge> edges_;
  bool reported_ = false;
};

}  // namespace lab
