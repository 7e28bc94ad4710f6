// Starvation: something keeps wanting a resource while others keep getting it or keep holding it.
//
// Calibrated against two anchors. Go's sync.Mutex switches to starvation mode once a waiter has
// waited 1 ms (src/sync/mutex.go, starvationThresholdNs), so an unfair lock that passes a waiter
// over again and again is a known failure, not a curiosity. glibc's default rwlock
// (PTHREAD_RWLOCK_PREFER_READER_NP) lets overlapping readers starve a writer indefinitely.
//
// Two criteria; either one reports:
//  - passed over: the resource went to others `grants` times (default 50) *more than once each*
//    while it waited: a waiter that N rivals each overtook once was served in a fair order
//    behind them, so the threshold scales with the contenders - `grants` plus the number of
//    distinct rivals. 52 threads taking one mutex once each pass a waiter over 51 times by 51
//    rivals (clean); two workers re-locking at once pass it over again and again (starved). The
//    reference workload W2 (four threads taking one mutex ten times each) passes a waiter over at
//    most 30 times and stays clean.
//  - waited too long: it waited `wait_ns` of virtual time (default 100 ms, asyncio debug mode's
//    slow-callback threshold: a delay a user notices) while others held the resource - held it
//    when the wait began, or got it meanwhile. This is head-of-line blocking: one long task in
//    front of a FIFO queue passes nobody over, yet everything behind it waits. Only scenarios
//    that model time (sleep_for, lab::this_thread::work) can meet it.
#pragma once

#include <array>
#include <vector>

#include "harness/detect/context.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

struct starvation_limits {
  std::uint64_t grants = 50;             ///< times the resource went to others meanwhile; 0: off
  std::uint64_t wait_ns = 100'000'000;   ///< virtual time waited while others held it; 0: off
};

/// Event sink reporting the first `starvation` of an execution. What can want a resource:
///  - a thread blocked on a mutex, a shared_mutex (either way) or a semaphore permit, from its
///    first attempt until it gets it (woken and beaten to it again is the same wait). An object
///    may declare its own time limit when it is registered (object_traits::wait_limit_ns), below
///    `wait_ns`: lab::gil declares its switch interval, the wait after which CPython itself
///    forces a switch;
///  - a thread spinning on try_lock: from a failed try until it gets that lock; the want lapses
///    when the thread takes or waits for something else, or finishes;
///  - a task in a pool's queue (the submitting thread stands for it): from submission until a
///    worker takes it; the pool's workers are the resource, and a task a worker takes ahead of
///    it (queued after it) passes it over. A FIFO pool passes over nobody: a task stuck behind
///    long ones is found by the time criterion (head-of-line blocking), and a long batch that
///    drains in order within the time limit is not starvation.
/// The report says who waited, for what, since which step and line, how long in steps and in
/// virtual time, who held it when the wait began and who got it meanwhile, how often, where.
/// A definite finding that lets the execution run to its end (verdict::runs_to_end), so that
/// the latencies the scenario measures are complete.
class starvation_detector final : public event_sink {
 public:
  static constexpr op_mask ops =
      mask_of(op::lock_blocked, op::shared_blocked, op::sem_blocked, op::try_lock_failed, op::lock_acquired,
              op::shared_acquired, op::sem_acquired, op::thread_finish, op::task_queued, op::task_started,
              op::task_done);
  static constexpr sink_hooks hooks{.objects = true};
  /// The operations that matter only while some want is active.
  static constexpr op_mask quiet_without_wants =
      mask_of(op::lock_acquired, op::shared_acquired, op::sem_acquired, op::thread_finish);

  starvation_detector(finding_sink& out, starvation_limits limits) : out_(&out), limits_(limits) {}
  /// In a detector set: --starve-grants and --starve-ms.
  explicit starvation_detector(const detector_context& c)
      : starvation_detector(c.out, {c.opts.starve_grants, ns_of_ms(c.opts.starve_ms)}) {}
  void begin_execution(bool detailed) override;
  void on_object(object_id id, const object_traits& traits) override {
    if (traits.wait_limit_ns != 0) own_limits_.push_back({id, traits.wait_limit_ns});
  }
  void on_event(const event& e) override {
    // Nobody wants anything: an acquisition or a thread's end changes nothing, but for the
    // holders a detailed execution keeps to explain a later wait.
    if (waiting_ == 0 && !detailed_ && (mask_of(e.kind) & quiet_without_wants)) return;
    update(e);
  }
  op_mask interest() const override { return ops; }

 private:
  struct rival {
    thread_id thread = no_thread;
    std::uint32_t count = 0;
    std::source_location last{};
  };
  struct want {
    bool active = false;
    bool spinning = false;      ///< from a failed try_lock, not a block
    bool held_at_start = false; ///< someone held the resource when the wait began
    object_id object = no_object;  ///< the lock, semaphore, or pool
    object_id task = no_object;    ///< a queued task's key; no_object for a thread's own want
    thread_id waiter = no_thread;  ///< the thread, or the task's submitter
    wait_info::on what = wait_info::on::mutex;
    std::uint32_t since_step = 0;
    std::uint64_t since_time = 0;
    std::source_location loc{};
    std::uint64_t passed_over = 0;
    std::vector<thread_id> overtook;  ///< the distinct rivals that got it meanwhile (kept always: they set the threshold)
    std::uint64_t limit_ns = 0;  ///< its time limit: limits_.wait_ns, or the lock's own (the GIL's)
    // Kept only when detailed_ (they explain, not decide):
    std::vector<note> at_start;  ///< who held it when the wait began
    std::vector<rival> rivals;   ///< who got it meanwhile
  };
  struct holder {  ///< detailed_ only: the latest acquisition of an object, for at_start notes
    object_id object = no_object;
    thread_id thread = no_thread;
    std::uint32_t step = 0;
    std::source_location loc{};
  };
  struct running_task {
    object_id pool = no_object;
    object_id key = no_object;
    thread_id worker = no_thread;
    std::uint32_t step = 0;
    std::source_location submitted_at{};
  };

  void update(const event& e);
  void start(want& w, const event& e, wait_info::on what, bool spinning);
  void end(want& w);
  void passed_over(want& w, const event& e, std::source_location rival_loc);
  /// Reports `w` if it meets a criterion at `now`; true when it did.
  bool check(const want& w, const event& now);
  void report(const want& w, const event& now, bool by_time);
  want* task_want(object_id key);
  /// The time limit of a wait for `object`: its own (object_traits) when lower.
  std::uint64_t limit_for(object_id object) const;

  finding_sink* out_;
  starvation_limits limits_;
  std::array<want, max_threads> wants_{};  ///< each thread's own want
  std::vector<want> tasks_;                ///< queued tasks' wants (few)
  std::vector<running_task> running_;      ///< tasks a worker is running now
  std::vector<holder> holders_;
  struct own_limit {
    object_id object;
    std::uint64_t ns;
  };
  std::vector<own_limit> own_limits_;  ///< objects with a wait limit of their own (few: the GIL's)
  std::uint32_t threads_used_ = 0;
  std::uint32_t waiting_ = 0;  ///< active wants, threads' and tasks': skips the scans when none
  std::uint64_t earliest_ = 0;  ///< <= the since_time of every active want
  std::uint64_t min_limit_ = 0;  ///< <= the limit_ns of every active want
  bool detailed_ = true;
  bool reported_ = false;
};

}  // namespace lab
