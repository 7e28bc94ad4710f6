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
///  - `deadlock` with a cycle of coroutine tasks when the stalled threads include an event loop
///    whose tasks wait for each other: K1 awaits K2, or K1 awaits an async lock held by K2
///    (named, with where K2 took it), which waits for K1;
///  - otherwise, when tasks of an idle loop are parked on async primitives (a lock whose holder
///    finished, a queue nobody will put to, a semaphore nobody will release, an event nobody
///    will set), `deadlock` naming each parked task, what it awaits, who holds it and the
///    user's line: the loop's own wait for work is not the cause and is left out;
///  - `lost_wakeup` when there is no cycle and a thread waits on a condition variable that was
///    notified, with nobody waiting, after the waiter's last look at shared state (a read, an
///    atomic load or read-modify-write) and before its wait began, and either the waiter waited
///    blind (it did not look at anything since it last took a lock: it waited for the
///    notification itself) or another thread wrote shared state after that look (the
///    notification carried news the waiter never saw). Otherwise the waiter decided to wait on
///    the state as it still is: a condition no thread will make true is a `deadlock`, whichever
///    came first, the notify or the wait - the verdict does not depend on the schedule, nor on
///    whether the wait is written with a predicate or as a hand-written loop;
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
              op::task_done, op::coro_created, op::coro_waits, op::coro_acquired, op::coro_released,
              op::coro_resumed, op::coro_suspended, op::read, op::atomic_load,
              op::atomic_rmw, op::write, op::atomic_store, op::lock_acquired);
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
  void on_stall(const thread_set& blocked) override;
  op_mask interest() const override { return ops | lock_table::ops; }
  /// on_event without the own table's update.
  void handle(const event& e);
  /// handle() for an event of operation O, which a detector set calls: a thread's look at shared
  /// state and its writes are stamped inline (they decide lost wakeup against deadlock), the
  /// rest is handle().
  template <op O>
  void on(const event& e) {
    if constexpr (O == op::read || O == op::atomic_load || O == op::atomic_rmw || O == op::write ||
                  O == op::atomic_store || O == op::lock_acquired) {
      ++seq_;
      if constexpr (O == op::read || O == op::atomic_load || O == op::atomic_rmw) looked_[e.thread] = seq_;
      if constexpr (O == op::write || O == op::atomic_store || O == op::atomic_rmw) wrote_[e.thread] = seq_;
      if constexpr (O == op::lock_acquired) locked_[e.thread] = seq_;
      threads_used_ = std::max<std::uint32_t>(threads_used_, e.thread + 1);
    } else {
      handle(e);
    }
  }

 private:
  // Ordered by `seq`, the position in the event stream: several events can share a step (an
  // operation completes at the step where its thread was resumed).
  struct wait_state {
    bool waiting = false;  ///< the thread has waited in this execution: `info` is its latest wait
    std::uint64_t seq = 0;
    wait_info info;
    bool news = false;   ///< at the wait's start, another thread had written since the waiter's last look
    bool blind = false;  ///< the waiter had not looked at anything since it last took a lock
    bool exclusive = false;  ///< mutex waits: asks for exclusive ownership (lock, not lock_shared)
  };
  struct lost_notify {
    bool seen = false;
    std::uint64_t seq = 0;
    std::uint32_t step = 0;
    thread_id thread = no_thread;
    std::source_location loc{};
  };

  wait_info resolved(const wait_state& w) const;

  finding_sink* out_;
  std::array<wait_state, max_threads> waits_{};
  std::array<std::uint64_t, max_threads> looked_{};  ///< seq of each thread's latest look at shared state
  std::array<std::uint64_t, max_threads> wrote_{};   ///< seq of each thread's latest write to shared state
  std::array<std::uint64_t, max_threads> locked_{};  ///< seq of each thread's latest lock acquisition
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
    thread_set workers;  ///< threads that took a task from it
  };
  std::vector<pool> pools_;
  struct coro_wait {
    object_id waiter = no_object, awaited = no_object;  ///< awaited: a task or an async primitive
    thread_id thread = no_thread;
    std::uint32_t step = 0;
    std::source_location loc{};
  };
  std::vector<coro_wait> coro_waits_;  ///< tasks awaiting others or parked on async primitives now
  struct coro_hold {
    object_id lock = no_object, task = no_object;
    std::source_location loc{};
  };
  std::vector<coro_hold> coro_holds_;  ///< async locks held by tasks now
  std::vector<bool> is_task_;          ///< by object id: a coroutine task (else an async primitive)
  bool is_task(object_id o) const { return o < is_task_.size() && is_task_[o]; }
  /// The wait of task `waiter` as a report shows it (the primitive, its holder).
  wait_info coro_wait_info(const coro_wait& c) const;
  /// The task `c` waits for: the awaited task, or the holder of the async lock it awaits.
  object_id coro_next(const coro_wait& c) const;
  bool report_coroutine_cycle();
  /// Tasks parked forever on async primitives of idle loops, with the blocked threads that are
  /// not those loops; false when no task is parked on a primitive.
  bool report_parked_tasks(const thread_set& blocked);
  const task* task_of(object_id cv) const;
  thread_set workers_of(object_id pool) const;
  digraph graph_;
  std::uint64_t seq_ = 0;
};

}  // namespace lab
