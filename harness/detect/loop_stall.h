// Loop stalls: one task step that holds the event loop while others wait their turn.
//
// Anchors: asyncio's debug mode logs "Executing <Task ...> took 0.300 seconds" for any callback
// longer than loop.slow_callback_duration (100 ms by default); Seastar prints "Reactor stalled
// for N ms" with a backtrace; tokio-console shows each task's "scheduled" time - how long it was
// ready but not running. The report gives all three: the culprit and its blocking line, the
// length, and the tasks that were ready meanwhile and how late they ran.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "harness/detect/context.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink measuring every task step (coro_resumed .. coro_suspended on the loop's thread) in
/// virtual time. A step of `threshold_ns` or more (default 100 ms) is a `loop_stall`: the culprit
/// task, the blocking call inside the step (the operation after which the most time passed:
/// sleep_for, work, a blocked lock, join or wait), and every task resumed after it that had been
/// ready during the stall, with its lateness (resumed minus ready). The report is made once
/// those victims are known: at the first resume of a task that became ready after the stall,
/// at the eighth victim, or when the execution ends. A finding that lets the execution run on
/// (verdict::runs_to_end), so the scenario's latency measurements are complete.
class loop_stall_detector final : public event_sink {
 public:
  /// The events that start a task step: until one comes, nothing else is of interest, and a
  /// program without an event loop costs this detector nothing but the check (a detector set
  /// skips the detector entirely until then: `active()`).
  static constexpr op_mask step_ops = mask_of(op::coro_resumed);
  static constexpr op_mask ops =
      mask_of(op::coro_resumed, op::coro_suspended, op::coro_awaited, op::coro_retrieved, op::work, op::sleep,
              op::lock_blocked, op::shared_blocked, op::sem_blocked, op::join_blocked, op::cv_wait);
  static constexpr sink_hooks hooks{.stall = true, .complete = true};

  loop_stall_detector(finding_sink& out, std::uint64_t threshold_ns) : out_(&out), threshold_(threshold_ns) {}
  /// In a detector set: --stall-ms.
  explicit loop_stall_detector(const detector_context& c) : loop_stall_detector(c.out, ns_of_ms(c.opts.stall_ms)) {}
  /// O(1) unless the previous execution ran an event loop.
  void begin_execution(bool detailed) override;
  void on_event(const event& e) override;
  void on_stall(const thread_set&) override { flush(); }
  void on_complete() override { flush(); }
  op_mask interest() const override { return ops; }
  /// A task step has begun in this execution: events other than `wake_ops` matter now. Until
  /// then a detector set does not call it.
  bool active() const { return !touched_.empty(); }
  static constexpr op_mask wake_ops = step_ops;

 private:
  struct step_state {
    bool active = false;
    event resumed{};
    event last{};       ///< the loop thread's latest event of interest in this step
    event culprit{};    ///< the event after which the most time passed
    std::uint64_t culprit_ns = 0;
    std::vector<event> awaiting;  ///< coroutines awaited inline and not yet returned, innermost last
    const char* culprit_in = nullptr;  ///< the innermost of them when the culprit ran
    const char* last_in = nullptr;     ///< ... when `last` ran
  };
  void flush();

  finding_sink* out_;
  std::uint64_t threshold_;
  std::array<step_state, max_threads> steps_{};
  bool pending_ = false;  ///< a stall found, its victims being collected
  bool reported_ = false;
  finding stall_;
  std::uint64_t stall_end_ = 0;
  thread_id loop_thread_ = no_thread;
  thread_set touched_;  ///< t: steps_[t] was used in this execution
};

}  // namespace lab
