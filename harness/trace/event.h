// What happened: one event per instrumented operation, in the order the runtime performed them.
#pragma once

#include <cstdint>
#include <source_location>
#include <string>
#include <string_view>
#include <type_traits>

#include "harness/core/ids.h"
#include "harness/core/thread_set.h"

namespace lab {

/// The operation an event records. Blocking operations emit a `*_blocked` event each time the
/// thread has to wait, and the completing event when it gets through.
enum class op : std::uint8_t {
  thread_start,     ///< a thread's first step; arg = its parent
  thread_spawn,     ///< the current thread created thread `arg`
  thread_finish,    ///< the thread's function returned (or threw)
  join_blocked,     ///< waiting for thread `arg` to finish
  thread_join,      ///< joined thread `arg`: its effects happen-before what follows
  lock_blocked,     ///< waiting for `object`, held by another thread; arg 1: in a fifo queue
  lock_acquired,    ///< acquired `object`; arg: how (lock_how)
  try_lock_failed,  ///< try_lock of `object` found it held
  unlock,           ///< released `object`
  mutex_destroyed,  ///< `object` was destroyed
  cv_wait,          ///< released the lock and began waiting on condition variable `object`
  cv_woken,         ///< a wait on `object` returned, the lock not yet retaken; arg: why (wake_reason)
  cv_notify_one,    ///< notified one waiter of `object`; arg = waiters at that moment
  cv_notify_all,    ///< notified every waiter of `object`; arg = waiters at that moment
  atomic_load,      ///< read atomic `object`; arg = value when representable
  atomic_store,     ///< wrote atomic `object`
  atomic_rmw,       ///< read-modify-write of atomic `object` (fetch_add, exchange, CAS success)
  read,             ///< read plain shared variable `object`
  write,            ///< wrote plain shared variable `object`
  yield,            ///< this_thread::yield
  sleep,            ///< slept `arg` ns of virtual time
  assertion,        ///< a lab::assert_that that failed
  sem_blocked,      ///< waiting for a permit of semaphore `object`
  sem_acquired,     ///< took a permit of `object` (arg = 1 when through try_acquire)
  sem_released,     ///< returned `arg` permits to `object`
  shared_blocked,   ///< waiting to lock shared_mutex `object` shared (for reading)
  shared_acquired,  ///< locked `object` shared (arg = 1 when through try_lock_shared)
  shared_unlock,    ///< released a shared lock of `object`
  work,             ///< computed for `arg` ns of (virtual) CPU time
  task_queued,      ///< put task `arg` in the queue of pool `object`
  task_started,     ///< a worker of pool `object` took task `arg` from the queue
  task_done,        ///< the worker finished task `arg` of pool `object`
  coro_created,     ///< coroutine task `object` was created (loc: the coroutine's definition)
  coro_scheduled,   ///< task `object` was handed to event loop `arg` to run on its own (spawn)
  coro_awaited,     ///< task `object` was awaited (its result or exception goes to the awaiter)
  coro_resumed,     ///< loop thread resumed task `object`: a step begins; arg = virtual time it became ready
  coro_suspended,   ///< task `object`'s step ended; arg: how (step_end)
  coro_retrieved,   ///< the result or exception of task `object` was retrieved
  coro_dropped,     ///< task `object` was destroyed
  /// task `object` awaits `arg`: a spawned task that has not finished, or an async primitive
  /// (lock, semaphore, event, queue) that parked it (loc: the await)
  coro_waits,
  coro_orphaned,    ///< task `object` was still pending when main task `arg` of its loop finished
  over_budget,      ///< a measured duration `arg` (ns) exceeded the program's budget for it
  process_fork,     ///< the current thread forked a child process whose only thread is `arg`
  /// A forked child's thread locks `object`, its copy of a mutex that another thread held at
  /// the fork; arg: which mutex and which thread (inherited_lock). That thread was not copied
  /// into the child, so the lock never comes: the child blocks forever.
  lock_inherited,
  /// lab::atomic_thread_fence in `order`: no object; it orders the thread's relaxed atomic
  /// accesses for happens-before (harness/detect/race.h).
  atomic_fence,
  coro_acquired,  ///< task `object` took async lock `arg` or a permit of async semaphore `arg`
  coro_released,  ///< task `object` unlocked async lock `arg` or released a permit of semaphore `arg`
};

/// lock_acquired's arg: how the lock was taken.
enum class lock_how : std::uint64_t {
  blocking = 0,   ///< lock(), which may have waited
  try_lock = 1,   ///< try_lock() that succeeded: it could not have blocked
  inherited = 2,  ///< a forked child's thread holds its copy as its forker held the original
};
/// cv_woken's arg: why the wait returned.
enum class wake_reason : std::uint64_t { notified = 0, spurious = 1, timed_out = 2 };
/// coro_suspended's arg: how the task's step ended.
enum class step_end : std::uint64_t {
  awaiting = 0,   ///< it awaits something and will resume
  finished = 1,   ///< it returned
  failed = 2,     ///< it ended with an exception
  cancelled = 3,  ///< it ended by cancellation (asyncio never reports those as lost)
};

/// lock_inherited's arg: the parent's mutex the child's copy stands for, and the parent's thread
/// that held it at the fork. Packed into the event's one argument.
struct inherited_lock {
  object_id original = no_object;
  thread_id holder = no_thread;
  constexpr std::uint64_t pack() const { return (std::uint64_t{original} << 32) | holder.value; }
  static constexpr inherited_lock unpack(std::uint64_t arg) {
    return {static_cast<object_id>(arg >> 32), thread_id{static_cast<std::uint32_t>(arg & 0xffffffffU)}};
  }
};

/// An event argument of a named enum, as the event stores it.
template <class E>
  requires std::is_enum_v<E>
constexpr std::uint64_t arg_of(E v) {
  return static_cast<std::uint64_t>(v);
}

inline constexpr int op_count = static_cast<int>(op::coro_released) + 1;

/// A set of operations, for sinks to say which events they want.
using op_mask = std::uint64_t;
static_assert(op_count <= 64, "op_mask holds one bit per operation");
constexpr op_mask mask_of(op o) { return op_mask{1} << static_cast<int>(o); }
template <class... Ops>
constexpr op_mask mask_of(op o, Ops... more) {
  return mask_of(o) | mask_of(more...);
}
inline constexpr op_mask all_ops = ~op_mask{0};

/// Short lower-case name, as reports print it ("lock", "read", ...).
std::string_view to_string(op o);

/// "foo" from "lab::task<int> {anonymous}::foo(std::string&)" (a coroutine's function_name(),
/// as g++ or clang++ spells it): how reports name a coroutine task. A lambda is named after the
/// function it is written in ("lambda in run"); "<coroutine>" when nothing is left.
std::string coroutine_name(const char* function_name);

/// True for operations that read or write a shared variable or atomic.
constexpr bool is_access(op o) {
  return o == op::read || o == op::write || o == op::atomic_load || o == op::atomic_store ||
         o == op::atomic_rmw;
}

/// True for the operations of lab::atomic and lab::atomic_thread_fence.
constexpr bool is_atomic(op o) {
  return o == op::atomic_load || o == op::atomic_store || o == op::atomic_rmw || o == op::atomic_fence;
}

/// The memory order an atomic operation asked for (std::memory_order; consume is acquire).
/// Other events carry seq_cst, the default.
enum class atomic_order : std::uint8_t { seq_cst, relaxed, acquire, release, acq_rel };
/// "seq_cst", "relaxed" ... as std::memory_order names them.
std::string_view to_string(atomic_order o);

/// How many of an atomic's latest stores (the initial value counts as one) the weak memory
/// model keeps within reach: event::stale < weak_history.
inline constexpr std::uint32_t weak_history = 32;

/// One event. Plain data, 48 bytes; `loc` is where the user's code asked for the operation.
struct event {
  op kind{};
  bool has_value = false;  ///< `arg` holds the value read or written (integral types only)
  atomic_order order = atomic_order::seq_cst;  ///< atomics: the order asked for
  /// Under the weak memory model (harness/runtime/memory_model.h), in modification order:
  /// atomic_load, how many stores before the latest the load read; atomic_store, how many
  /// stores the store went before. 0 = the latest, the end.
  std::uint8_t stale = 0;
  thread_id thread = no_thread;
  object_id object = no_object;
  std::uint32_t step = 0;  ///< the scheduling step at which the operation took place
  std::uint64_t arg = 0;
  std::source_location loc{};
  std::uint64_t time = 0;  ///< virtual time in ns when it took place
};

/// What a sink learns about an object when it is first used in an execution.
struct object_traits {
  object_kind kind = object_kind::shared;
  /// A waiter for this object is starved once it has waited this long in virtual time while
  /// others held it; 0: the starvation detector's own limit. The GIL sets its switch interval,
  /// the wait after which CPython itself forces a switch.
  std::uint64_t wait_limit_ns = 0;
};

/// Which hooks besides on_event a sink needs: a composed set calls only those (a detector
/// declares them as `static constexpr sink_hooks hooks`).
struct sink_hooks {
  bool objects = false;   ///< on_object
  bool stall = false;     ///< on_stall
  bool complete = false;  ///< on_complete
};

class event_sink;
/// A handler of the events of one operation: what a sink may offer instead of on_event, one per
/// operation, so that the runtime calls exactly the code for that operation (no virtual call,
/// no switch over the operation).
using event_handler = void (*)(event_sink& sink, const event& e);

/// Receives every event of an execution, in order. Detectors are event sinks; so is the
/// detector set that composes them (harness/explore/detector_set.h), which is the one sink an
/// execution feeds. Sinks must not block or switch fibers.
class event_sink {
 public:
  virtual ~event_sink() = default;
  /// A new execution begins: forget everything about the previous one. `detailed` is true
  /// when the execution keeps its history for a report (the replay of a failing execution):
  /// a sink may then spend more to explain its findings (the race detector records the locks
  /// held at each access); the fast pass leaves it false. Verdicts must not depend on it.
  virtual void begin_execution(bool detailed) = 0;
  /// The operations whose events this sink wants; on_event sees no others. Read once, when
  /// the sink is attached.
  virtual op_mask interest() const { return all_ops; }
  /// An object was first used in this execution.
  virtual void on_object(object_id, const object_traits&) {}
  virtual void on_event(const event& e) = 0;
  /// Optional: a table of op_count handlers, entry o handling the events of operation o exactly
  /// as on_event would (null where interest() leaves o out). The table must outlive the sink.
  virtual const event_handler* handlers() const { return nullptr; }
  /// No thread can run and at least one has not finished (none is sleeping either).
  /// `blocked` has bit t set for every unfinished thread t.
  virtual void on_stall(const thread_set& /*blocked*/) {}
  /// Every thread finished.
  virtual void on_complete() {}
};

}  // namespace lab
