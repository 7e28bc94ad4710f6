// Lock-order inversions: potential deadlocks seen in executions that did not deadlock.
//
// As ThreadSanitizer's deadlock detector and the Linux kernel's lockdep do: every time a thread
// acquires mutex B while holding A, the edge A -> B joins the lock-order graph of the execution;
// an edge that closes a cycle means some interleaving of the same code can deadlock - unless
// the cycle cannot happen at once: when one thread made every edge of it (it takes its locks
// one after the other, never against itself), or when every edge was made holding one same
// other lock, a "gate lock" (they are serialised by it: the gate-lock rule of Bensalem and
// Havelund, "Dynamic deadlock analysis of multi-threaded programs", HVC 2005, as in TSan's
// deadlock detector).
#pragma once

#include <vector>

#include "harness/detect/cycles.h"
#include "harness/detect/context.h"
#include "harness/detect/lock_table.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting the first lock-order cycle of an execution that could deadlock as
/// `lock_order_inversion` (a potential finding: exploration goes on looking for the deadlock
/// itself), with every edge of the cycle: which thread took which mutex while holding which, and
/// where. try_lock acquisitions add no edge: they cannot block. Each edge keeps up to
/// `max_instances` of its instances (the thread and the other locks it held), so a cycle is
/// reported when some choice of instances comes from two threads or more and shares no gate.
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
  static constexpr std::size_t max_instances = 32;
  /// One time an edge was made: by whom, where, and holding which other locks (its gates).
  struct instance {
    lock_edge edge;
    std::vector<object_id> gates;
  };
  struct pair {
    object_id first, second;
    std::vector<instance> instances;
  };
  void acquired_while_holding(const event& e);
  pair* find(object_id a, object_id b);
  /// A choice of one instance per edge of the cycle `nodes` (n0 -> n1 -> ... -> n0) from two
  /// threads or more with no gate in common; empty when there is none.
  std::vector<const instance*> deadlocking_choice(const std::vector<std::uint32_t>& nodes);
  /// A cycle through the edge held -> acquired that could deadlock: the choice for the first
  /// simple path acquired -> ... -> held (depth first, a bounded search) that has one.
  std::vector<const instance*> deadlocking_cycle(object_id held, object_id acquired);

  finding_sink* out_;
  digraph graph_;
  std::vector<pair> pairs_;
  bool reported_ = false;
};

}  // namespace lab
