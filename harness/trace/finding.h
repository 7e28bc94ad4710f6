// What went wrong: findings are plain data built by detectors and laid out by renderers.
#pragma once

#include <cstdint>
#include <source_location>
#include <string>
#include <vector>

#include "harness/core/ids.h"
#include "harness/core/verdict.h"

namespace lab {

/// One access to a shared variable, as a race report names it.
struct access_info {
  thread_id thread = no_thread;
  bool write = false;
  bool atomic = false;
  object_id object = no_object;
  std::uint32_t step = 0;
  std::source_location loc{};
  std::vector<object_id> locks_held;  ///< mutexes the thread held at the access, in acquisition order
};

/// Why a thread cannot run, as a deadlock report names it.
struct wait_info {
  /// mutex: a mutex or a shared_mutex (exclusively or shared); semaphore: a permit; task: the
  /// result of a task submitted to a pool (`object` is the pool); coroutine: a coroutine task
  /// awaits another task or an async primitive (`object` is the awaiting task K<n>, `thread` its
  /// loop's thread, `via` the primitive).
  enum class on : std::uint8_t { mutex, condition, join, semaphore, task, coroutine };
  thread_id thread = no_thread;    ///< the waiter
  on what = on::mutex;
  object_id object = no_object;    ///< the mutex, condition variable or pool (no_object for a join)
  /// Who it waits for: the owner (or a reader), the joined thread, the worker running the task
  /// (for a task still queued, in a cycle: the busy worker the cycle goes through); none for a
  /// condition or semaphore.
  thread_id holder = no_thread;
  std::uint32_t step = 0;          ///< when the wait began
  std::source_location loc{};      ///< where the waiter waits
  std::source_location held_at{};  ///< where the holder acquired the mutex; where the task was submitted
  bool queued = false;             ///< task waits: the task has not started (no worker took it)
  /// mutex waits: `holder` holds the shared_mutex shared (a reader; with `holder == thread`, the
  /// waiter asks exclusively for what it holds shared: an upgrade, never granted).
  bool held_shared = false;
  /// coroutine waits: the async lock, semaphore, event or queue the task is parked on
  /// (no_object when it awaits a task).
  object_id via = no_object;
  /// coroutine waits: the task it waits for - the task it awaits, or the task that holds the
  /// async lock `via` (taken at `held_at`); no_object when no task does.
  object_id holder_task = no_object;
};

/// One edge of a lock-order graph: `thread` acquired `second` while holding `first`.
struct lock_edge {
  thread_id thread = no_thread;
  object_id first = no_object;
  object_id second = no_object;
  std::uint32_t step = 0;
  std::source_location first_loc{};   ///< where `first` was acquired
  std::source_location second_loc{};  ///< where `second` was acquired
};

/// A further event that explains a finding ("notified by T1 at step 3, nobody waiting").
struct note {
  thread_id thread = no_thread;
  std::uint32_t step = 0;
  std::source_location loc{};
  std::string text;  ///< what happened there, without the thread or step
};

/// One finding of one execution. Which vectors are filled depends on `kind`:
/// data_race -> accesses (current, then previous); deadlock and lost_wakeup -> waits (the cycle
/// in order, or every blocked thread); lock_order_inversion -> edges (the cycle).
struct finding {
  verdict kind = verdict::clean;
  std::string message;            ///< one line, no ids that change between runs
  thread_id thread = no_thread;   ///< the thread at fault, when there is one
  std::uint32_t step = 0;         ///< when it was detected
  std::source_location loc{};     ///< where, when there is a place
  std::vector<access_info> accesses;
  std::vector<wait_info> waits;
  bool cycle = false;  ///< deadlock: `waits` is a wait-for cycle, each waiting for the next
  std::vector<lock_edge> edges;
  std::vector<note> notes;
};

/// Where detectors send findings.
class finding_sink {
 public:
  virtual ~finding_sink() = default;
  virtual void report(finding f) = 0;
};

}  // namespace lab
