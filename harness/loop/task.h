// lab::task<T>: a C++20 coroutine for the lab's event loop, with asyncio's two ways to run one.
//
//   lab::task<int> fetch(int id) { co_await lab::sleep(10ms); co_return id; }
//   int a = co_await fetch(1);                  // awaited: runs inline, like `await fetch(1)`
//   auto h = loop.spawn(fetch(2));              // spawned: a Task of its own, like create_task
//   int b = co_await h;                         // its result (or exception) retrieved
//
// A task is lazy: nothing runs until it is awaited or spawned. Dropping one that was neither is
// asyncio's "coroutine was never awaited"; a spawned task that ends with an exception nobody
// retrieves is "Task exception was never retrieved". Under the sim backend every coroutine is an
// object (K1, K2 ...) and tells the detectors when it is created, spawned, awaited, resumed,
// suspended, retrieved and dropped (harness/detect/task_lifecycle.h, loop_stall.h).
#pragma once

#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <utility>
#include <vector>

#include "harness/core/ids.h"
#include "harness/trace/event.h"

namespace lab {

class event_loop;
template <class T = void>
class task;

/// asyncio.CancelledError: thrown at the await where a cancelled task resumes.
struct cancelled_error : std::exception {
  const char* what() const noexcept override { return "task cancelled"; }
};

namespace detail {

struct task_state;
/// Takes Task `in`'s pending cancellation request: true (and the request is consumed) when one
/// was made. An awaiter calls it when it resumes and then throws lab::cancelled_error.
bool take_cancel(task_state* in) noexcept;

/// True when `e` holds a cancelled_error.
bool is_cancelled(const std::exception_ptr& e);

/// A coroutine's identity in the current sim execution; nothing under the native backend.
struct coro_identity {
  std::uint64_t generation = 0;
  object_id id = no_object;
};
/// Registers a new coroutine (sim backend) and emits coro_created at `defined_at`.
void coro_created(coro_identity& who, std::source_location defined_at);
/// Emits `kind` about `who` if it belongs to the running execution.
void coro_event(op kind, const coro_identity& who, std::uint64_t arg, std::source_location loc);
/// Rethrows the current exception if it is the runtime's abort (an execution being torn down
/// must unwind through coroutines, not be stored in them).
void rethrow_if_abort();

/// Somewhere a Task can be parked other than a timer or another Task's end: an async
/// primitive's wait list, an executor job. Cancellation withdraws the Task from it.
struct parking {
  /// Removes `s`'s wait and makes `s` ready (loop thread only).
  virtual void withdraw(task_state& s) = 0;

 protected:
  ~parking() = default;
};

/// What every lab coroutine's promise holds, whatever its result type.
struct promise_base {
  event_loop* loop = nullptr;         ///< the loop it runs on: set when spawned or awaited
  task_state* state = nullptr;        ///< the spawned Task it runs in (the loop resumes that)
  std::coroutine_handle<> continuation;  ///< the awaiting coroutine, resumed when this one ends
  std::exception_ptr error;
  coro_identity self;
  std::source_location defined_at;
  bool started = false;    ///< awaited or spawned
  bool retrieved = false;  ///< its result or exception was taken

  explicit promise_base(std::source_location loc) : defined_at(loc) { coro_created(self, loc); }
  std::suspend_always initial_suspend() noexcept { return {}; }
  struct final_awaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      if (auto c = h.promise().continuation) return c;  // back to the awaiter (symmetric transfer)
      return std::noop_coroutine();                     // a spawned Task: back to the loop
    }
    void await_resume() noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() {
    rethrow_if_abort();
    error = std::current_exception();
  }
};

template <class T>
struct promise_value : promise_base {
  using promise_base::promise_base;
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() { return std::move(*value); }
};
template <>
struct promise_value<void> : promise_base {
  using promise_base::promise_base;
  void return_void() noexcept {}
  void take() {}
};

/// A spawned Task: the loop resumes it step by step; task_handle<T> shares it.
struct task_state : std::enable_shared_from_this<task_state> {
  std::coroutine_handle<> root;    ///< not owned: the task<T> of the derived holder owns it
  promise_base* promise = nullptr;  ///< root's promise
  struct waiter {
    std::coroutine_handle<> h;
    task_state* in;
  };
  std::vector<waiter> waiters;  ///< coroutines awaiting this Task's end
  bool finished = false;
  bool ran = false;  ///< the loop resumed it at least once
  bool cancel_requested = false;  ///< its next resumption throws lab::cancelled_error (once)
  parking* parked_on = nullptr;   ///< where it waits, if that is a `parking`
  std::shared_ptr<void> keep_alive;  ///< what the awaiter it is parked in needs (an executor job)
  std::function<void(task_state&)> on_done;  ///< called by the loop when it finishes (task_group)
  /// Destroys the coroutine frame now (the loop is closing with this Task still pending).
  virtual void destroy_frame() noexcept = 0;
  virtual ~task_state() = default;
};

}  // namespace detail

/// A coroutine returning T. Move-only. Awaiting it runs it inline in the awaiting Task (no
/// scheduling point, as in Python); event_loop::spawn makes it a Task of its own.
template <class T>
class [[nodiscard]] task {
 public:
  struct promise_type : detail::promise_value<T> {
    // The compiler constructs the promise inside the coroutine, so the default argument is the
    // coroutine's own location (GCC: its closing line; function_name() is its signature,
    // which reports shorten to the coroutine's name).
    explicit promise_type(std::source_location loc = std::source_location::current())
        : detail::promise_value<T>(loc) {}
    task get_return_object() { return task(std::coroutine_handle<promise_type>::from_promise(*this)); }
  };

  task(task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  task& operator=(task&& o) noexcept {
    if (this != &o) {
      drop();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() { drop(); }

  bool await_ready() const noexcept { return false; }
  template <class P>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) {
    auto& me = h_.promise();
    const detail::promise_base& up = parent.promise();
    me.loop = up.loop;
    me.state = up.state;
    me.continuation = parent;
    me.started = true;
    detail::coro_event(op::coro_awaited, me.self, 0, me.defined_at);
    return h_;
  }
  T await_resume() { return take(); }

  /// For the loop: the result, or the exception rethrown; marks it retrieved.
  T take() {
    auto& me = h_.promise();
    me.retrieved = true;
    detail::coro_event(op::coro_retrieved, me.self, 0, me.defined_at);
    if (me.error) std::rethrow_exception(me.error);
    return me.take();
  }
  std::coroutine_handle<promise_type> handle() const noexcept { return h_; }
  /// Destroys the coroutine now (a task<T> that is empty afterwards).
  void reset() noexcept { drop(); }

 private:
  explicit task(std::coroutine_handle<promise_type> h) : h_(h) {}
  void drop() noexcept {
    if (!h_) return;
    detail::coro_event(op::coro_dropped, h_.promise().self, 0, h_.promise().defined_at);
    std::exchange(h_, {}).destroy();
  }
  std::coroutine_handle<promise_type> h_;
};

}  // namespace lab
