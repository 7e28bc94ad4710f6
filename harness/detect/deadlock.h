// Deadlocks and lost wakeups: why every unfinished thread is blocked, when none can run.
#pragma once

#include <array>
#include <vector>

#include "harness/detect/cycles.h"
#include "harness/detect/context.h"
#include "harness/detect/lock_table.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink that, at a stall (no thread can run, some have not finished), builds the wait-for
/// graph - a thread waiting for a mutex points at its owner, a joiner at the joined thread - and
/// reports:
///  - `deadlock` with the cycle (T1 holds M1 and waits for M2, held by T2, which waits for M1),
///    each edge with where the wait began and where the holder took the mutex; a thread that
///    relocks a non-recursive mutex it owns is a cycle of one. A thread waiting on a pool task's
///    future points at the worker running the task or, while the task is still queued, at every
///    worker of the pool (any of them could take it; at a stall none can): a pool whose workers
///    all wait for tasks queued behind them is a cycle through the queue;
///  - `deadlock` with a cycle of coroutine tasks (K1 awaits K2, which awaits K1) when the stalled
///    threads include an event loop whose spawned tasks await each other;
///  - `lost_wakeup` when there is no cycle and a thread waits on a condition variable that was
///    notified, with nobody waiting, before that wait began (the notification was lost);
///  - otherwise `deadlock` with every blocked thread (blocked forever, no cycle: a partial
///    deadlock when other threads finished).
class deadlock_detector final : public event_sink, private lock_aware {
 public:
  /// Only the beginnings of waits, not their ends: at a stall every unfinished thread is
  /// blocked, so each one's latest wait is the one it is in (every blocking operation emits its
  /// *_blocked or cv_wait event before it blocks). The owners of mutexes come from the lock table.
  static constexpr op_mask ops =
      mask_of(op::lock_blocked, op::join_blocked, op::cv_wait, op::cv_notify_one, op::cv_notify_all, op::sem_blocked,
              op::shared_blocked, op::shared_acquired, op::shared_unlock, op::task_queued, op::task_started,
              op::task_done, op::coro_waits, op::coro_resumed, op::coro_suspended);
  static constexpr sink_hooks hooks{.stall = true};

  /// On its own, with a lock table of its own.
  explicit deadlock_detector(finding_sink& out) : out_(&out) {}
  /// In a detector set: reads the set's lock table.
  explicit deadlock_detector(const detector_context& c) : lock_aware(c.locks), out_(&c.out) {}
  void begin_execution(bool detailed) override;
  void on_event(const event& e) override {
    handle(e);
    update_own(e);
  }
  void on_stall(std::uint64_t blocked) override;
  op_mask interest() const override { return ops | lock_table::ops; }
  /// on_event without the own table's update: what a detector set calls.
  void handle(const event& e);

 private:
  // Ordered by `seq`, the position in the event stream: several events can share a step (an
  // operation completes at the step where its thread was resumed).
  struct wait_state {
    bool waiting = false;  ///< the thread has waited in this execution: `info` is its latest wait
    std::uint64_t seq = 0;
    wait_info info;
  };
  struct lost_notify {
    bool seen = false;
    std::uint64_t seq = 0;
    std::uint32_t step = 0;
    thread_id thread = no_thread;
    std::source_location loc{};
  };

  wait_info resolved(const wait_info& w) const;

  finding_sink* out_;
  std::array<wait_state, max_threads> waits_{};
  std::uint32_t threads_used_ = 0;  ///< waits_[t] may be set only below this
  std::vector<lost_notify> lost_;  ///< per condition variable: the last notify with no waiter
  struct reader {
    object_id lock;
    thread_id thread;
    std::source_location loc;
  };
  std::vector<reader> readers_;  ///< shared locks held now (few at a time)
  struct task {
    object_id key = no_object;  ///< the future's condition variable
    object_id pool = no_object;
    thread_id worker = no_thread;  ///< no_thread while queued
    bool done = false;
    std::source_location submitted_at{};
  };
  std::vector<task> tasks_;  ///< every task of the execution (few)
  struct pool {
    object_id id = no_object;
    std::uint64_t workers = 0;  ///< threads that took a task from it
  };
  std::vector<pool> pools_;
  struct coro_wait {
    object_id waiter = no_object, awaited = no_object;
    thread_id thread = no_thread;
    std::uint32_t step = 0;
    std::source_location loc{};
  };
  std::vector<coro_wait> coro_waits_;  ///< spawned tasks awaiting others now
  bool report_coroutine_cycle();
  const task* task_of(object_id cv) const;
  std::uint64_t workers_of(object_id pool) const;
  digraph graph_;
  std::uint64_t seq_ = 0;
};

}  // namespace lab
