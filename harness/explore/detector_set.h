// The detector set: the one sink an execution feeds, composing every detector.
//
// A detector author writes the detector under harness/detect/ - an event sink that declares the
// operations it wants (`static constexpr op_mask ops`), the hooks it needs (`static constexpr
// sink_hooks hooks`) and a constructor from a detector_context - and adds its type to the list
// `detectors` below: that is the one registration line. The runtime knows no detector.
#pragma once

#include <cstdint>
#include <tuple>

#include "harness/core/options.h"
#include "harness/detect/context.h"
#include "harness/detect/deadlock.h"
#include "harness/detect/fork.h"
#include "harness/detect/livelock.h"
#include "harness/detect/lock_order.h"
#include "harness/detect/lock_table.h"
#include "harness/detect/loop_stall.h"
#include "harness/detect/misuse.h"
#include "harness/detect/race.h"
#include "harness/detect/starvation.h"
#include "harness/detect/task_lifecycle.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Every detector of the lab, in the order they see each event and are asked at a stall.
using detectors = std::tuple<race_detector, deadlock_detector, lock_order_detector, misuse_detector,
                             starvation_detector, livelock_detector, loop_stall_detector, task_lifecycle_detector,
                             fork_detector>;

/// Every detector of `detectors`, fed by one execution. Contract, for each event:
///  1. the detectors that declared the event's operation see it, in list order, by direct (not
///     virtual) calls - a detector that reads the shared lock table through its handle();
///  2. then the shared lock table (harness/detect/lock_table.h) applies it: a detector reads
///     the table as it was before the event it is handling.
/// A detector that says it is dormant (a `bool active() const` and `wake_ops`) is not called
/// until an event of `wake_ops`: the loop-stall detector costs a program without an event loop
/// one flag test per event it declared.
///
/// At a stall (no thread can run, some have not finished) the detectors with a stall hook are
/// asked in list order, and the first definite finding ends the execution; the runtime's own
/// "every unfinished thread is blocked" deadlock comes only when none explained it. The list
/// puts the deadlock detector (a wait-for cycle, a lost wakeup, threads blocked forever) before
/// the loop-stall detector (a stall it was still collecting victims for): a hang is the more
/// important finding. When every thread finished, the detectors with a complete hook are told.
///
/// Costs: one virtual call into the set per event some detector wants; begin_execution resets
/// only what the previous execution touched. Thread-safety: belongs to the OS thread that runs
/// its execution.
class detector_set final : public event_sink {
 public:
  detector_set(finding_sink& out, const options& opts) : detector_set(out, opts, static_cast<detectors*>(nullptr)) {}
  detector_set(const detector_set&) = delete;
  detector_set& operator=(const detector_set&) = delete;

  void begin_execution(bool detailed) override;
  op_mask interest() const override;
  void on_object(object_id id, const object_traits& traits) override;
  void on_event(const event& e) override;
  /// One handler per operation, each calling exactly the detectors that declared it.
  const event_handler* handlers() const override;
  void on_stall(const thread_set& blocked) override;
  void on_complete() override;

  /// Stale reads happen (the weak memory model): the race detector keeps each atomic's latest
  /// stores' clocks.
  void set_weak_memory(bool on) { std::get<race_detector>(detectors_).keep_history(on); }

  /// The detector of type D, for tests.
  template <class D>
  const D& get() const {
    return std::get<D>(detectors_);
  }

 private:
  template <op O>
  static void handle(event_sink& s, const event& e);
  /// Every detector made in place from the same context.
  template <class... D>
  detector_set(finding_sink& out, const options& opts, std::tuple<D...>*)
      : detectors_((static_cast<void>(sizeof(D)), detector_context{out, locks_, opts})...) {}

  lock_table locks_;  ///< declared first: the detectors keep a reference to it
  detectors detectors_;
};

}  // namespace lab
