// lab::event_loop: asyncio's event loop for C++20 coroutines, built from the lab's primitives.
//
//   lab::event_loop loop;
//   int n = loop.run([]() -> lab::task<int> {
//     auto a = co_await lab::this_loop();                // the running loop
//     auto h = a->spawn(worker());                       // asyncio.create_task
//     co_await lab::sleep(std::chrono::milliseconds(5)); // asyncio.sleep: other tasks run
//     co_return co_await h;
//   }());
//
// The loop runs on the thread that calls run(): one task step at a time, each step from a resume
// to the task's next suspension. Under the sim backend the loop's thread is a fiber like any
// other, every step is a scheduling point, the choice of which ready task resumes next is a
// strategy choice (so a race across an await is explored like a thread interleaving), sleep is
// virtual time, and blocking calls inside a step (lab::this_thread::sleep_for, work, a mutex)
// hold the loop for their duration: the loop_stall detector measures it. Under the native
// backend it is a real single-threaded loop on a steady clock, and a step longer than the stall
// threshold is reported as asyncio's debug mode does.
//
// Thread-safety: everything but call_soon_threadsafe runs on the loop's thread only.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "harness/loop/task.h"
#include "harness/sync/condition_variable.h"
#include "harness/sync/gil.h"
#include "harness/sync/mutex.h"
#include "harness/sync/shared.h"
#include "harness/sync/thread_pool.h"

namespace lab {

namespace detail {
/// Native backend: a task step longer than this is reported as loop_stall (default 100 ms).
void set_native_stall_threshold(std::chrono::nanoseconds d);
}  // namespace detail

/// What one event loop holds at a moment of a sim execution, by the execution's object ids (a
/// task that has no id in the running execution is left out): for a reader of a paused
/// execution, such as `conlab play`'s panel. Plain data.
struct loop_queue_view {
  object_id loop = no_object;  ///< no_object until the loop scheduled its first task
  std::string name;
  std::vector<object_id> ready;  ///< tasks the loop may resume now (which one first is a choice)
  std::vector<std::pair<object_id, std::uint64_t>> sleeping;  ///< tasks on a timer, with its deadline (ns)
  std::vector<std::pair<object_id, object_id>> awaiting;      ///< (task, the task it awaits)
  std::vector<object_id> parked;  ///< tasks waiting on an async primitive or an executor job
  std::size_t callbacks = 0;      ///< call_soon callbacks not run yet
  int executor_jobs = 0;          ///< executor jobs out, whose results come back to the loop
};

/// Every event loop alive on the calling OS thread, in the order they were made. Read it at a
/// scheduling point of the sim backend (between two steps no loop is half-way through an update);
/// under the native backend it is empty. Cost: O(tasks).
std::vector<loop_queue_view> live_loop_queues();

/// A spawned Task (asyncio.Task): await it for its result; shared, copyable.
template <class T>
class task_handle {
  struct state;

 public:
  bool done() const noexcept { return s_->finished; }
  /// Task.cancel(): the task gets lab::cancelled_error at the await where it next resumes; one
  /// parked in a sleep, an await of another task, an async primitive or an executor job wakes
  /// up at once (the executor's job runs on; its result is dropped). False when it already
  /// finished.
  bool cancel();

  // Raw pointers only: the awaited handle outlives the await (GCC 12 may destroy a prvalue
  // awaiter with a non-trivial destructor twice).
  struct awaiter {
    state* s;
    detail::task_state* in = nullptr;  ///< the awaiting Task
    bool await_ready() const noexcept { return s->finished; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = static_cast<detail::promise_base&>(h.promise()).state;
      if (in && in->cancel_requested) return s->promise->loop->make_ready(h, in);  // does not wait
      s->waiters.push_back({h, in});
      if (in) detail::coro_event(op::coro_waits, in->promise->self, s->promise->self.id, in->promise->defined_at);
    }
    T await_resume() {
      if (!s->finished && detail::take_cancel(in)) throw cancelled_error();
      return s->body.take();
    }
  };
  awaiter operator co_await() const { return {s_.get()}; }
  /// The result, or the exception rethrown (it counts as retrieved). The task must be done.
  T result() { return s_->body.take(); }

 private:
  friend class event_loop;
  friend class task_group;
  struct state final : detail::task_state {
    explicit state(task<T> t) : body(std::move(t)) {
      root = body.handle();
      promise = &body.handle().promise();
    }
    void destroy_frame() noexcept override {
      waiters.clear();
      body.reset();
    }
    task<T> body;
  };
  explicit task_handle(std::shared_ptr<state> s) : s_(std::move(s)) {}
  std::shared_ptr<state> s_;
};

class event_loop {
 public:
  /// `executor_threads`: workers of the pool behind run_in_executor (made on first use).
  explicit event_loop(const char* name = "loop", std::size_t executor_threads = 2,
                      std::source_location loc = std::source_location::current());
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;
  /// Destroys the tasks that never finished (asyncio: "Task was destroyed but it is pending"):
  /// their frames first, so that tasks holding handles of one another are freed too.
  ~event_loop();

  /// asyncio.run: runs `main` as a Task and every task it spawns until `main` ends; returns
  /// its result or rethrows its exception. Tasks still pending when `main` ends are orphans: as
  /// asyncio.run does, they are cancelled and run until they end (their cleanup runs, the rest
  /// of their work is lost), and each is reported (`task_orphaned`, a potential finding: a
  /// definite one such as the exception an orphan's failed sibling lost takes precedence).
  template <class T>
  T run(task<T> main, std::source_location loc = std::source_location::current()) {
    task_handle<T> h = spawn(std::move(main), loc);
    drive(h.s_.get());
    if (!tasks_.empty()) cancel_orphans(*h.s_);
    return h.result();
  }

  /// asyncio.create_task: `t` becomes a Task of its own, ready to run.
  template <class T>
  task_handle<T> spawn(task<T> t, std::source_location loc = std::source_location::current()) {
    auto s = std::make_shared<typename task_handle<T>::state>(std::move(t));
    adopt(s, loc);
    return task_handle<T>(std::move(s));
  }

  /// Requests the cancellation of Task `s` (see task_handle::cancel). False if it finished.
  bool cancel(detail::task_state& s);

  /// loop.call_soon: runs `f` on the loop's thread at its next iteration. Loop thread only, as
  /// in asyncio: the callback list is plain shared state, so a call from another thread is a
  /// data race with the loop (the race detector reports it; natively it corrupts the list).
  void call_soon(std::function<void()> f, std::source_location loc = std::source_location::current());

  /// loop.call_soon_threadsafe: runs `f` on the loop's thread at its next iteration. The only
  /// member other threads may call.
  void call_soon_threadsafe(std::function<void()> f, std::source_location loc = std::source_location::current());

  /// loop.run_in_executor(None, f): awaitable; runs `f` on the loop's thread pool and resumes
  /// the awaiting task with its result (or exception) - the loop keeps serving others meanwhile.
  template <class F>
  auto run_in_executor(F f, std::source_location loc = std::source_location::current());
  /// loop.run_in_executor(pool, f): the same on a pool of your own (a lab::thread_pool, or a
  /// lab::process_pool for CPU-bound work: asyncio with a ProcessPoolExecutor).
  template <class Pool, class F>
  auto run_in_executor(Pool& pool, F f, std::source_location loc = std::source_location::current());

  // ---- For awaiters (loop thread only). ----
  /// Makes `h` (running in Task `in`) ready now.
  void make_ready(std::coroutine_handle<> h, detail::task_state* in);
  /// Resumes `h` once `d` has passed.
  void call_later(std::chrono::nanoseconds d, std::coroutine_handle<> h, detail::task_state* in);
  /// Counts work started outside the loop (executor jobs) that will come back through
  /// call_soon_threadsafe: while any is out, an idle loop waits for it.
  void external_started() { ++external_; }
  void external_finished() { --external_; }
  thread_pool& executor();

 private:
  struct entry {
    std::coroutine_handle<> h;
    std::shared_ptr<detail::task_state> task;
    std::uint64_t ready_at = 0;  ///< ns on the loop's clock
  };
  void adopt(std::shared_ptr<detail::task_state> s, std::source_location loc);
  /// Runs the loop until `until_done` finished (nullptr: until no Task is left).
  void drive(const detail::task_state* until_done);
  void cancel_orphans(const detail::task_state& main);
  void step(entry e);
  void wait_for_work();
  std::shared_ptr<detail::task_state> owner_of(detail::task_state* in) const;
  std::uint64_t clock_ns() const;

  std::source_location declared_at_;
  detail::sim_identity id_;
  std::size_t executor_threads_;
  std::vector<entry> ready_;
  std::multimap<std::uint64_t, entry> timers_;  ///< by deadline, then in order of arrival
  std::vector<std::shared_ptr<detail::task_state>> tasks_;  ///< every Task not finished
  int external_ = 0;
  lab::mutex inbox_m_;
  lab::condition_variable inbox_cv_;
  std::vector<std::function<void()>> inbox_;  // guarded by inbox_m_
  std::vector<std::function<void()>> soon_;   // loop thread only; its length is soon_count_
  lab::shared<std::size_t> soon_count_;  ///< "loop.callbacks": watched, so misuse is a race
  std::unique_ptr<thread_pool> executor_;
  friend std::vector<loop_queue_view> live_loop_queues();
};

/// asyncio.sleep: suspends the awaiting task for `d` (virtual time under the sim backend);
/// other tasks run meanwhile. sleep(0) just lets the others run.
struct sleep_awaiter {
  std::chrono::nanoseconds d;
  detail::task_state* in = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) {
    auto& p = static_cast<detail::promise_base&>(h.promise());
    if (!p.loop) throw std::logic_error("lab::sleep awaited outside an event loop");
    in = p.state;
    p.loop->call_later(d, h, p.state);
  }
  void await_resume() const {
    if (detail::take_cancel(in)) throw cancelled_error();
  }
};
inline sleep_awaiter sleep(std::chrono::nanoseconds d) { return {d}; }

/// asyncio.get_running_loop: `co_await lab::this_loop()` gives the loop the task runs on.
struct this_loop_awaiter {
  event_loop* loop = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P>
  bool await_suspend(std::coroutine_handle<P> h) noexcept {
    loop = static_cast<detail::promise_base&>(h.promise()).loop;
    return false;  // does not suspend
  }
  event_loop* await_resume() const noexcept { return loop; }
};
inline this_loop_awaiter this_loop() { return {}; }

namespace detail {
/// An executor job's result on its way back to the loop. Shared by the job (on the pool) and
/// the awaiting Task (task_state::keep_alive), so either may end first: a Task cancelled while
/// its job runs is withdrawn at once (the job runs on; its result is dropped).
template <class R>
struct executor_job final : parking {
  std::coroutine_handle<> h;
  task_state* in = nullptr;
  event_loop* loop = nullptr;
  std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> value{};
  std::exception_ptr error;
  bool abandoned = false;  ///< the Task was cancelled: nobody will take the result
  void withdraw(task_state& s) override {
    abandoned = true;
    s.parked_on = nullptr;
    loop->make_ready(h, &s);
  }
};

/// What an executor job returns: f(gil&) for a job that wants its worker's interpreter (on a
/// lab::process_pool), else f().
template <class F, bool = std::is_invocable_v<F&, gil&>>
struct executor_result {
  using type = std::invoke_result_t<F&, gil&>;
};
template <class F>
struct executor_result<F, false> {
  using type = std::invoke_result_t<F&>;
};

template <class R, class F, class... W>
R call_job(F& f, W&... worker) {
  if constexpr (std::is_invocable_v<F&, W&...>) return f(worker...);
  else return f();
}

/// The awaiter of event_loop::run_in_executor: submits `fn` to `pool` (anything with
/// submit(F) -> future, e.g. lab::thread_pool or lab::process_pool) when the Task suspends.
template <class Pool, class F>
struct executor_awaiter {
  using R = typename executor_result<F>::type;
  event_loop* loop;
  Pool* pool;
  F fn;
  std::source_location at;
  executor_job<R>* job = nullptr;  // raw: the Task's keep_alive owns it while it is awaited
  task_state* cancelled_in = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) {
    task_state* in = static_cast<promise_base&>(h.promise()).state;
    if (!in) throw std::logic_error("lab::event_loop::run_in_executor awaited outside an event loop");
    if (in->cancel_requested) {  // cancelled: the job is not submitted
      cancelled_in = in;
      return loop->make_ready(h, in);
    }
    auto shared = std::make_shared<executor_job<R>>();
    job = shared.get();
    shared->h = h;
    shared->in = in;
    shared->loop = loop;
    in->keep_alive = shared;
    in->parked_on = shared.get();
    loop->external_started();
    pool->submit(
        [shared, f = std::move(fn), l = loop, at_ = at](auto&... worker) mutable -> int {
          try {  // `worker`: the process pool's interpreter, for a job that wants it
            if constexpr (std::is_void_v<R>) call_job<R>(f, worker...);
            else shared->value.emplace(call_job<R>(f, worker...));
          } catch (...) {
            rethrow_if_abort();
            shared->error = std::current_exception();
          }
          l->call_soon_threadsafe(
              [shared, l] {
                l->external_finished();
                if (shared->abandoned) return;
                shared->in->parked_on = nullptr;
                l->make_ready(shared->h, shared->in);
              },
              at_);
          return 0;
        },
        at);
  }
  R await_resume() {
    if (!job) {  // cancelled before it was submitted
      take_cancel(cancelled_in);
      throw cancelled_error();
    }
    std::shared_ptr<void> hold = std::move(job->in->keep_alive);
    task_state* in = job->in;
    in->parked_on = nullptr;
    if (take_cancel(in)) throw cancelled_error();
    if (job->error) std::rethrow_exception(job->error);
    if constexpr (!std::is_void_v<R>) return std::move(*job->value);
  }
};
}  // namespace detail

template <class F>
auto event_loop::run_in_executor(F f, std::source_location loc) {
  return detail::executor_awaiter<thread_pool, F>{this, &executor(), std::move(f), loc};
}

template <class Pool, class F>
auto event_loop::run_in_executor(Pool& pool, F f, std::source_location loc) {
  return detail::executor_awaiter<Pool, F>{this, &pool, std::move(f), loc};
}

template <class T>
bool task_handle<T>::cancel() {
  return s_->promise->loop && s_->promise->loop->cancel(*s_);
}

/// asyncio.TaskGroup: structured concurrency. Tasks spawned through the group are its children;
/// join() waits until every child has ended. The first child to fail cancels all the others at
/// once; join() then rethrows that first exception, after every child ended - every outcome is
/// retrieved, none is lost, none outlives the group.
///
///   lab::task_group g(*loop);
///   auto a = g.spawn(fetch(1));
///   auto b = g.spawn(fetch(2));
///   co_await g.join();            // throws fetch's first exception, with b cancelled
class task_group {
 public:
  explicit task_group(event_loop& loop) : loop_(&loop) {}
  template <class T>
  task_handle<T> spawn(task<T> t, std::source_location loc = std::source_location::current()) {
    task_handle<T> h = loop_->spawn(std::move(t), loc);
    h.s_->on_done = [this](detail::task_state& done) { child_done(done); };
    children_.push_back(h.s_);
    return h;
  }
  /// Waits for every child; rethrows the first failure (not counting cancellations).
  task<int> join();

 private:
  void child_done(detail::task_state& s);
  event_loop* loop_;
  std::vector<std::shared_ptr<detail::task_state>> children_;
  std::exception_ptr first_;
};

/// What a task ended with: its value or its exception (gather_outcomes).
template <class T>
struct outcome {
  std::optional<T> value;
  std::exception_ptr error;
  bool ok() const noexcept { return !error; }
};

namespace detail {
template <class T>
task<outcome<T>> settle(task_handle<T> h) {
  outcome<T> o;
  try {
    o.value.emplace(co_await h);
  } catch (...) {
    rethrow_if_abort();
    o.error = std::current_exception();
  }
  co_return o;
}
}  // namespace detail

/// asyncio.gather(*tasks, return_exceptions=True): awaits every task and returns each one's
/// value or exception; every exception is retrieved, none propagates.
template <class... T>
task<std::tuple<outcome<T>...>> gather_outcomes(task_handle<T>... hs) {
  co_return std::tuple<outcome<T>...>{co_await detail::settle(hs)...};
}

/// asyncio.gather(*tasks): awaits every task in order and returns their results. As in asyncio
/// (return_exceptions=False), the first exception propagates to the awaiter at once, and the
/// other tasks keep running: nobody retrieves their results or exceptions.
template <class... T>
task<std::tuple<T...>> gather(task_handle<T>... hs) {
  co_return std::tuple<T...>{co_await hs...};
}

}  // namespace lab
