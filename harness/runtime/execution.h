// How fibers run: one execution of a program under a strategy, on one OS thread.
//
// Terms. A *thread* is a simulated thread: a fiber. A *step* is one instrumented operation; a
// *scheduling point* is a step at which the runtime asks the strategy which runnable thread goes
// next (only when there are two or more), telling it what each runnable thread is about to do
// (its pending_op), and records the answer in the schedule.
// Every primitive operation runs one fixed order, written down here once (harness/sync/object.h
// has the one helper that runs it, for the sim and the native backend alike):
//   1. a point: schedule_point(op, loc) - the strategy may switch to another thread first;
//      local_point for spawn and join and release_point for RAII releases (see there);
//   2. the operation itself, blocking with block()/wake_*() as needed;
//   3. emit(event)          - appended to the history (when recorded), then fed to the one sink
//                             (the detector set of harness/explore, which feeds every detector).
// The runtime knows no detector: it feeds one event_sink and takes findings through
// finding_sink::report.
// A definite finding aborts the execution: every fiber is unwound (an abort_execution exception
// thrown at its next scheduling point, children before parents) and run() returns.
//
// Thread-safety: an execution and everything it runs belong to the OS thread that calls run();
// several executions may run at once on different OS threads (parallel exploration), each with
// its own objects. Cost: a step is a strategy call plus, when another thread is chosen, one
// context switch; no allocation in steady state.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <source_location>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/core/ids.h"
#include "harness/runtime/fiber.h"
#include "harness/scheduler/strategy.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"
#include "harness/trace/report.h"
#include "harness/trace/samples.h"
#include "harness/trace/schedule.h"

namespace lab::rt {

class memory_model;

/// Thrown into a fiber to unwind it when its execution is aborted. Code under test must let it
/// pass (a `catch (...)` that swallows it is tolerated: the fiber is abandoned after 100 tries).
struct abort_execution {};

/// What a blocked thread waits for: an object (mutex, condition variable) or a thread's end.
using wait_key = std::uint64_t;
constexpr wait_key key_of(object_id o) { return o; }
constexpr wait_key join_key(thread_id t) { return (std::uint64_t{1} << 32) | t; }

/// How an execution ended.
struct execution_outcome {
  std::optional<finding> definite;   ///< the first definite finding; the execution stopped there
  std::optional<finding> potential;  ///< the first potential finding (lock-order inversion)
  std::uint32_t steps = 0;
  /// Events in the history when `definite` was reported (the execution may run on: runs_to_end).
  std::size_t events_at_finding = 0;
};

/// How one execution runs.
struct run_mode {
  std::uint64_t max_steps = 20000;  ///< past it the execution ends with step_limit
  bool history = false;             ///< keep every event and object for the report
  /// Record the strategy's choices in choices(). The fast pass of a strategy that regenerates
  /// its choices (strategy::regenerates_choices) leaves it off.
  bool record_choices = true;
  /// Every plain shared-variable access is a scheduling point (access_point), not only every
  /// spin_guard-th: `conlab play`, where the learner interleaves a read and a write by hand.
  /// More choices than needed for what the detectors see; a replay must run in the same mode.
  bool every_access = false;
};

/// True where OS threads started inside an execution are noticed (harness/runtime/os_threads.cpp:
/// not in the sanitizer builds).
bool os_threads_noticed();

class execution final : public finding_sink {
 public:
  explicit execution(std::size_t stack_size = 256 * 1024);
  /// The one sink every event goes to (only the operations in its interest()), or null for
  /// none. Read once here: attach again after changing what the sink wants.
  void attach(event_sink* sink);
  execution(const execution&) = delete;
  execution& operator=(const execution&) = delete;
  ~execution() override;

  /// Runs `body` as thread T0, and every thread it spawns, to the end of one execution.
  void run(void (*body)(void*), void* arg, strategy& strat, const run_mode& mode);

  const execution_outcome& outcome() const { return outcome_; }
  const schedule& choices() const { return choices_; }
  const std::vector<event>& history() const { return history_; }
  std::vector<thread_info> thread_table() const;
  std::vector<object_info> object_table() const;

  /// The execution running on this OS thread, or null outside one (the native backend).
  static execution* current() { return current_execution; }

  /// Explorations running in this process (the explorer counts them). A lab primitive used on
  /// the native path while one runs comes from a thread the lab does not schedule - a
  /// std::thread started inside lab::model - and the exploration must not pass as if it had seen
  /// it: the primitive calls foreign_thread(), and the explorer reports it.
  static void exploring(int delta) { explorations_.fetch_add(delta, std::memory_order_relaxed); }
  static bool someone_explores() { return explorations_.load(std::memory_order_relaxed) != 0; }
  static void foreign_thread() { foreign_thread_seen_.store(true, std::memory_order_relaxed); }
  /// True (once) when foreign_thread() was called since the last take.
  static bool take_foreign_thread() { return foreign_thread_seen_.exchange(false, std::memory_order_relaxed); }
  /// The calling thread of this execution started an OS thread (pthread_create, interposed in
  /// harness/runtime/os_threads.cpp): the lab neither schedules nor sees it. Records which
  /// thread and after which of its operations, and marks the exploration (foreign_thread()).
  void os_thread_started();
  /// What the first os_thread_started() of the process since the last take recorded ("" when
  /// none): "T1 after its operation at file:line".
  static std::string take_os_thread_site();

  // ---- For primitives (harness/sync). All act on the calling thread. ----

  thread_id self() const { return current_; }
  std::uint32_t step() const { return step_; }
  /// Unique across all executions of the process: objects compare it to know whether their
  /// per-execution state is stale.
  std::uint64_t generation() const { return generation_; }
  bool aborting() const { return aborting_; }

  /// Step 1 of every synchronising operation: `next` is what this thread is about to do (the
  /// strategy sees it, for every runnable thread). Returns false when the execution is being
  /// torn down and the operation must do nothing (only while an exception is already
  /// unwinding; otherwise it throws abort_execution).
  bool schedule_point(pending_op next, std::source_location loc, bool yielding = false) {
    if (!local_point(loc)) return false;
    next_[current_] = next;
    next_loc_[current_] = loc;
    reschedule(yielding);
    return aborting_ ? abort_here() : true;
  }
  /// Step 1 of a plain shared-variable access (lab::shared): a step, not a scheduling point.
  /// Sound for what the lab checks (Flanagan, Freund, "FastTrack", PLDI 2009, and the
  /// reduction theorem of Lipton, CACM 1975): the race detector orders accesses by
  /// happens-before, not by the schedule, so a racy program shows its race in an execution that
  /// switches only at synchronisation, and a race-free one has no behaviour that a switch between
  /// two of its plain accesses could add. A thread that makes `spin_guard` plain accesses in a
  /// row gets a full scheduling point, so a spin loop on a plain variable cannot starve the
  /// thread that would end it (it races, and the race is what gets reported).
  bool access_point(pending_op next, std::source_location loc) {
    if (++unswitched_ < access_guard_) return local_point(loc);
    return schedule_point(next, loc);
  }
  static constexpr std::uint32_t spin_guard = 100;
  /// Step 1 for thread spawn and join: counts a step but offers the strategy no choice. Sound
  /// (a partial-order reduction in the sense of Flanagan and Godefroid, POPL 2005): creating a
  /// thread commutes with every operation of every other thread that exists, and a join
  /// commutes with every operation but the joined thread's end - when that has not happened the
  /// joiner blocks, which hands the choice to the strategy anyway. Saves two choices per thread.
  bool local_point(std::source_location loc) {
    if (aborting_ || !count_step(loc)) [[unlikely]]
      return abort_here();
    return true;
  }
  /// Step 1 of a release (unlock, notify, a semaphore's release). Uncontended - nobody waits
  /// for the object - it is a step without a choice: a release moves left, it commutes with
  /// every operation of another thread that comes before it (Lipton's reduction, CACM 1975), so
  /// a switch just before it explores nothing a switch at the thread's previous scheduling
  /// point does not. Contended, it is a scheduling point as well: not needed for soundness, but
  /// it keeps the random and PCT strategies' odds of preempting a releaser whose waiters compete
  /// (what starvation is made of) as they were. It never throws - RAII destructors release, and
  /// a destructor must not - not even when the thread is resumed only to be unwound, or passes
  /// the step limit: it returns false and the operation does nothing. The thread unwinds at its
  /// next scheduling point instead.
  bool release_point(pending_op next, std::source_location loc, wait_key key) {
    if (aborting_ || !count_step(loc)) [[unlikely]]
      return false;
    next_[current_] = next;
    if (on_objects_ == 0 || waiters(key) == 0) return true;  // nobody waits for an object, or not for this one
    reschedule(false);
    return !aborting_;
  }

  /// Parks the calling thread until wake_*(key). Returns false as schedule_point does.
  bool block(wait_key key);
  /// block(key), but also woken when virtual time reaches `deadline` (a timed wait: virtual
  /// time may advance to it when no thread can run). timed_out() then says which woke it.
  bool block_until(wait_key key, std::uint64_t deadline);
  /// Whether the calling thread's last block_until ended by its deadline.
  bool timed_out() const { return threads_[current_].timed_out; }
  /// What thread `t` does when it runs next, and the line it stopped at to do it (its latest
  /// scheduling point; an unstarted thread: thread_start and no line). For a display of the
  /// threads at a choice point (`conlab play`).
  pending_op next_op(thread_id t) const { return next_[t]; }
  std::source_location pending_loc(thread_id t) const { return next_loc_[t]; }
  /// Makes every thread blocked on `key` runnable; returns how many.
  std::uint32_t wake_all(wait_key key);
  /// Makes the longest-waiting thread blocked on `key` runnable; returns it or no_thread.
  thread_id wake_one(wait_key key);
  std::uint32_t waiters(wait_key key) const;

  /// Virtual time in nanoseconds: advances only when no thread can run and one is sleeping.
  std::uint64_t now() const { return now_; }
  /// Parks the calling thread until virtual time reaches `until`.
  bool sleep_until(std::uint64_t until);
  /// A spinning thread burns time: when some thread sleeps, virtual time moves on by `ns` and
  /// the sleepers that are due wake up. (Without it a spin-wait on a sleeping thread would never
  /// end: time only advances when nobody can run.) this_thread::yield calls it.
  void let_time_pass(std::uint64_t ns);

  /// An atomic operation asked for an order weaker than seq_cst. Sticky for the life of this
  /// execution object, across executions: the explorer turns the weak memory model on when it
  /// sees it (and, under --memory-model sc, the report says the orders were run as seq_cst).
  void note_weaker_order() { weaker_orders_ = true; }
  bool saw_weaker_orders() const { return weaker_orders_; }

  /// The weak memory model (memory_model.h) for the executions run from now on: loads may read
  /// stale stores, a choice (choice_kind::reads_from) every strategy explores. Off, every load
  /// reads the latest store - exact for programs whose atomics are all seq_cst, and free.
  void set_weak_memory(bool on) { weak_memory_ = on; }
  bool weak_memory() const { return weak_memory_; }
  /// Weak memory model: how many stores before the latest a load of `obj` with order `o` by the
  /// calling thread may read (0 without the model).
  std::uint32_t stale_window(object_id obj, atomic_order o) const {
    return weak_memory_ ? model_stale_window(obj, o) : 0;
  }
  /// Weak memory model: where a store of `obj` with order `o` by the calling thread may go in
  /// modification order, as distances from its end into `out` (room for
  /// happens_before::history); returns how many (1 without the model: the end).
  std::uint32_t store_places(object_id obj, atomic_order o, std::uint8_t* out) const {
    if (!weak_memory_) {
      out[0] = 0;
      return 1;
    }
    return model_store_places(obj, o, out);
  }

  /// Where record_sample puts samples (the explorer's store); null drops them.
  void set_samples(sample_store* s) { samples_ = s; }
  /// A measurement the program took of itself (lab::record_latency), in nanoseconds.
  void record_sample(std::string_view name, std::uint64_t ns) {
    if (samples_) samples_->add(name, ns);
  }

  /// A strategy choice among `bound` options that is not about threads; recorded for replay.
  std::uint64_t choose(std::uint64_t bound, choice_kind kind);

  /// Assigns the next object id; `name` must outlive the execution (a string literal).
  /// `birth`: the object's birth_key (0: one is made now, for an object registered where it is
  /// made).
  object_id register_object(const object_traits& traits, const char* name, std::source_location loc,
                            std::uint64_t birth = 0);

  /// A name for an object being constructed that is the same in every execution that reaches
  /// its construction the same way, unlike its id (ids go by first use, which depends on the
  /// interleaving): inside an execution (constructing thread, how many objects it constructed
  /// before), outside one its address (a global or a fixture's member lives across
  /// executions). What a strategy that compares executions (DPOR) keys objects by.
  static std::uint64_t birth_key(const void* self) {
    if (execution* ex = current_execution; ex && ex->current_ != no_thread) return ex->next_birth();
    return reinterpret_cast<std::uintptr_t>(self) | (std::uint64_t{1} << 63);
  }

  /// Step 3 of every operation: history, then the sink (its handler for `kind` when it has a
  /// table of them, else on_event).
  [[gnu::always_inline]] void emit(op kind, object_id obj, std::source_location loc, std::uint64_t arg = 0,
                                   bool has_value = false, atomic_order order = atomic_order::seq_cst,
                                   std::uint8_t stale = 0) {
    const op_mask bit = mask_of(kind);
    if (!(emitted_ & bit)) return;
    event e{kind, has_value, order, stale, current_, obj, step_, arg, loc, now_};
    if (slow_events_) [[unlikely]] slow_event(e);
    if (wanted_ & bit) handlers_[static_cast<int>(kind)](*sink_, e);
  }

  /// finding_sink: the first definite finding aborts the execution; potential ones are kept.
  void report(finding f) override;

  /// Creates a thread running `f` (moved into the thread's own storage). Returns its id, or
  /// no_thread while the execution is being torn down.
  template <class F>
  thread_id spawn(F&& f, std::source_location loc) {
    using fn = std::decay_t<F>;
    if (!local_point(loc)) return no_thread;
    void* mem = spawn_storage(sizeof(fn), alignof(fn));
    ::new (mem) fn(std::forward<F>(f));
    return spawn_commit(
        [](void* p) { (*static_cast<fn*>(p))(); }, [](void* p) { static_cast<fn*>(p)->~fn(); }, loc);
  }
  /// fork() in the model: creates a child process whose only thread runs `f`. The child is a
  /// thread of this execution (so the parent can wait for it as for a join) in a process of its
  /// own: process_of() tells them apart, and mutexes give a child's threads their copies, as
  /// they were at the fork (harness/sync/process.h). Emits thread_spawn, then process_fork.
  /// Unlike a spawn, a fork is a full scheduling point: it does not commute with other threads'
  /// lock operations (it copies the state they leave behind).
  template <class F>
  thread_id fork(F&& f, std::source_location loc) {
    if (!schedule_point({op::process_fork, no_object}, loc)) return no_thread;
    thread_id t = spawn(std::forward<F>(f), loc);
    if (t != no_thread) mark_forked(t, loc);
    return t;
  }
  /// 0 for the process the execution began in; 1, 2 ... for forked children, in fork order.
  std::uint32_t process_of(thread_id t) const { return threads_[t].process; }
  /// The parent's thread that forked child process `p` (p >= 1).
  thread_id forker_of(std::uint32_t p) const { return forkers_[p - 1]; }
  /// Forks so far in this execution: objects compare it to know when to take the snapshot a
  /// child will see (the state at the first operation after a fork is the state at the fork).
  std::uint32_t forks() const { return forks_; }
  bool finished(thread_id t) const { return threads_[t].state == run_state::finished; }
  /// The calling thread ends the process (std::terminate in the real program): the finding is
  /// reported and the thread is abandoned without unwinding. Never returns.
  [[noreturn]] void terminate_thread(finding f);

 private:
  enum class run_state : std::uint8_t { runnable, blocked, sleeping, finished };
  static constexpr std::size_t inline_callable = 96;

  struct thread_record {
    fiber fib;
    run_state state = run_state::finished;
    wait_key key = 0;
    std::uint64_t wait_seq = 0;
    std::uint64_t wake_at = 0;
    std::uint32_t abort_throws = 0;
    bool timed_out = false;
    thread_id parent = no_thread;
    std::uint32_t process = 0;  ///< see process_of()
    std::source_location created_at{};
    void (*invoke)(void*) = nullptr;
    void (*destroy)(void*) = nullptr;
    void* obj = nullptr;
    bool heap = false;
    alignas(std::max_align_t) unsigned char buf[inline_callable];
  };
  struct object_record {
    object_traits traits;
    const char* name;
    std::source_location loc;
    std::uint64_t birth;
  };
  std::uint64_t next_birth() { return (std::uint64_t{current_.value + 1} << 40) | ++births_[current_]; }

  void* spawn_storage(std::size_t size, std::size_t align);
  thread_id spawn_commit(void (*invoke)(void*), void (*destroy)(void*), std::source_location loc);
  void mark_forked(thread_id child, std::source_location loc);
  static void thread_main();
  void run_thread(thread_id t);
  void switch_to(thread_id next);
  /// The next thread to run: the only runnable one, or the strategy's choice among several;
  /// when none is runnable, virtual time moves on or the execution stalls (no_thread).
  thread_id pick(bool yielding) {
    if (runnable_.empty()) [[unlikely]]
      return pick_when_none_runnable();
    if (runnable_.single() && !observing_) return runnable_.first();
    return choose_thread(yielding);
  }
  thread_id pick_when_none_runnable();
  [[gnu::noinline]] void record_choice(std::uint32_t rank);
  /// The strategy's choice among two or more runnable threads, recorded when asked to.
  thread_id choose_thread(bool yielding);
  void reschedule(bool yielding);
  [[gnu::cold]] bool abort_here();
  /// Counts a step; past the limit, reports step_limit and returns false.
  bool count_step(std::source_location loc) { return ++step_ <= max_steps_ || step_limit_reached(loc); }
  [[gnu::cold]] bool step_limit_reached(std::source_location loc);
  void to_main(bool exiting);
  void stall();
  /// Wakes the threads of `due` (sleepers and timed waiters) whose wake_at has come.
  void wake_due(const thread_set& due);
  void record(const event& e);
  /// The history, the observing strategy and the memory model, for an event (slow_events_).
  [[gnu::noinline]] void slow_event(const event& e);
  /// Calls f(t) for every live thread that is neither runnable nor asleep (blocked), lowest
  /// first, word by word and without building the set. f may wake the thread it was given.
  template <class F>
  void for_each_blocked(F&& f) const {
    for (std::uint32_t i = 0, n = live_.words(); i < n; ++i)
      for (std::uint64_t s = live_.word(i) & ~runnable_.word(i) & ~sleeping_.word(i); s; s &= s - 1)
        f(thread_id{i * 64 + static_cast<std::uint32_t>(std::countr_zero(s))});
  }
  void set_runnable(thread_id t) {
    threads_[t].state = run_state::runnable;
    runnable_.insert(t);
    timed_.erase(t);
    on_objects_.erase(t);
  }

  static inline thread_local execution* current_execution = nullptr;
  static inline std::atomic<int> explorations_{0};
  static inline std::atomic<bool> foreign_thread_seen_{false};
  static inline std::string os_thread_site_;  ///< os_thread_started()'s record (under a mutex)

  event_sink* sink_ = nullptr;
  op_mask wanted_ = 0;   ///< sink_->interest(), or 0 without a sink
  op_mask emitted_ = 0;  ///< the events built at all: wanted_, or every one while recording history
  /// sink_->handlers(), or on_event_table_ for a sink without a table of its own.
  const event_handler* handlers_ = nullptr;
  std::array<event_handler, op_count> on_event_table_{};
  stack_pool stacks_;
  fiber main_;
  // Per-thread tables, dense up to max_threads, on the heap: an execution may live on a stack.
  std::vector<thread_record> threads_ = std::vector<thread_record>(max_threads);
  std::vector<pending_op> next_ = std::vector<pending_op>(max_threads);  ///< what each thread does when it runs next
  /// Where: the source line of each thread's next_ (its latest scheduling point).
  std::vector<std::source_location> next_loc_ = std::vector<std::source_location>(max_threads);
  std::uint32_t access_guard_ = spin_guard;  ///< run_mode::every_access: 1
  std::uint32_t nthreads_ = 0;
  std::uint32_t forks_ = 0;
  std::vector<thread_id> forkers_ = std::vector<thread_id>(max_threads);  ///< forkers_[p - 1] forked process p
  std::vector<std::uint32_t> births_ = std::vector<std::uint32_t>(max_threads);  ///< objects each thread made
  thread_id current_ = no_thread;
  thread_set runnable_;
  thread_set sleeping_;
  thread_set timed_;       ///< blocked with a deadline (block_until); wake_at holds it
  thread_set live_;        ///< spawned and not finished
  thread_set on_objects_;  ///< blocked on an object (not a join): may be waiting for a release
  std::uint64_t wait_seq_ = 0;
  std::uint32_t step_ = 0;
  std::uint32_t unswitched_ = 0;  ///< plain accesses since the calling thread's last scheduling point
  std::uint64_t max_steps_ = 0;
  std::uint64_t now_ = 0;
  std::uint64_t generation_ = 0;
  bool aborting_ = false;
  bool record_history_ = false;
  bool observing_ = false;    ///< the strategy observes (strategy::observes)
  bool slow_events_ = false;  ///< record_history_ || observing_ || weak_memory_
  bool weak_memory_ = false;
  std::unique_ptr<memory_model> memory_;  ///< made at the first execution with weak_memory_
  std::uint32_t model_stale_window(object_id obj, atomic_order o) const;
  std::uint32_t model_store_places(object_id obj, atomic_order o, std::uint8_t* out) const;
  bool record_choices_ = true;
  bool weaker_orders_ = false;
  strategy* strategy_ = nullptr;
  schedule choices_;
  execution_outcome outcome_;
  std::vector<object_record> objects_;
  std::vector<event> history_;
  sample_store* samples_ = nullptr;
};

}  // namespace lab::rt
