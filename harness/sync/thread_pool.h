// lab::promise / lab::future and lab::thread_pool: a fixed-size pool over a work queue, built
// from the lab's own primitives so that the sim backend explores it like any other code.
#pragma once

#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "harness/sync/condition_variable.h"
#include "harness/sync/mutex.h"
#include "harness/sync/thread.h"

namespace lab {
namespace detail {
template <class T>
struct future_state {
  lab::mutex m{"future.m"};
  lab::condition_variable ready{"future.ready"};
  std::optional<T> value;  // guarded by m
  std::exception_ptr error;
  bool done = false;
};
}  // namespace detail

template <class T>
class future;

/// Same as std::promise (value or exception, set once), for lab::future.
template <class T>
class promise {
 public:
  promise() : s_(std::make_shared<detail::future_state<T>>()) {}
  future<T> get_future() { return future<T>(s_); }
  void set_value(T v, std::source_location loc = std::source_location::current()) {
    lab::lock_guard<lab::mutex> hold(located_ref<lab::mutex>(s_->m, loc));
    s_->value.emplace(std::move(v));
    s_->done = true;
    s_->ready.notify_all(loc);
  }
  void set_exception(std::exception_ptr e, std::source_location loc = std::source_location::current()) {
    lab::lock_guard<lab::mutex> hold(located_ref<lab::mutex>(s_->m, loc));
    s_->error = std::move(e);
    s_->done = true;
    s_->ready.notify_all(loc);
  }

 private:
  std::shared_ptr<detail::future_state<T>> s_;
};

/// Same as std::future: get() blocks until the value is set (under the sim backend, waiting for
/// a value nobody will set is reported as a deadlock) and rethrows a stored exception.
template <class T>
class future {
 public:
  future() = default;
  T get(std::source_location loc = std::source_location::current()) {
    lab::unique_lock<lab::mutex> lk(located_ref<lab::mutex>(s_->m, loc));
    s_->ready.wait(lk, [&] { return s_->done; }, loc);
    if (s_->error) std::rethrow_exception(s_->error);
    return std::move(*s_->value);
  }
  bool valid() const noexcept { return s_ != nullptr; }

 private:
  friend class promise<T>;
  friend class thread_pool;
  explicit future(std::shared_ptr<detail::future_state<T>> s) : s_(std::move(s)) {}
  std::shared_ptr<detail::future_state<T>> s_;
};

/// A fixed number of worker threads taking tasks from one FIFO queue. submit() returns a
/// future. The destructor lets the queued tasks finish, then joins the workers. A task that
/// blocks on another task's future can deadlock the pool when every worker is busy: that is
/// the pool_deadlock scenario.
///
/// Under the sim backend the pool is an object (P1, P2 ...) and tells the detectors about its
/// tasks - queued (by whom, where), started (on which worker), done - each task known by its
/// future's condition variable, so that a thread waiting on a future is seen waiting for that
/// task: the deadlock detector follows it to the worker running the task or, while the task is
/// still queued, to the pool's workers; the starvation detector sees a task waiting in the queue
/// while the workers run others.
class thread_pool {
 public:
  explicit thread_pool(std::size_t workers, const char* name = nullptr,
                       std::source_location loc = std::source_location::current())
      : id_{0, no_object, name, loc} {
    for (std::size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); }, loc);
  }
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;
  ~thread_pool() {
    {
      lab::lock_guard hold(m_);
      closing_ = true;
    }
    has_work_.notify_all();
    for (auto& w : workers_) w.join();
  }

  template <class F>
  auto submit(F&& f, std::source_location loc = std::source_location::current()) -> future<std::invoke_result_t<F&>> {
    using R = std::invoke_result_t<F&>;
    auto p = std::make_shared<promise<R>>();
    future<R> result = p->get_future();
    {
      lab::lock_guard<lab::mutex> hold(located_ref<lab::mutex>(m_, loc));
      object_id key = result.s_->ready.sim_object();
      queue_.push_back({[p, fn = std::forward<F>(f)]() mutable {
                          try {
                            p->set_value(fn());
                          } catch (...) {
                            p->set_exception(std::current_exception());
                          }
                        },
                        key, loc});
      if (key != no_object) id_.emit(object_kind::pool, op::task_queued, loc, key);
    }
    has_work_.notify_one(loc);
    return result;
  }

 private:
  struct task {
    std::function<void()> run;
    object_id key = no_object;  ///< sim backend: the future's condition variable
    std::source_location submitted_at{};
  };

  void work() {
    for (;;) {
      task t;
      {
        lab::unique_lock lk(m_);
        has_work_.wait(lk, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closing and drained
        t = std::move(queue_.front());
        queue_.pop_front();
        if (t.key != no_object) id_.emit(object_kind::pool, op::task_started, t.submitted_at, t.key);
      }
      t.run();
      if (t.key != no_object) id_.emit(object_kind::pool, op::task_done, t.submitted_at, t.key);
    }
  }

  detail::sim_identity id_;
  lab::mutex m_{"pool.m"};
  lab::condition_variable has_work_{"pool.has_work"};
  std::deque<task> queue_;  // guarded by m_
  bool closing_ = false;                     // guarded by m_
  std::vector<lab::thread> workers_;
};

}  // namespace lab
