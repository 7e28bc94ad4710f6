// lab::thread and lab::this_thread.
#pragma once

#include <chrono>
#include <concepts>
#include <exception>
#include <thread>
#include <type_traits>

#include "harness/sync/object.h"

namespace lab {
namespace detail {
void native_thread_body(void (*invoke)(void*), void* fn, std::source_location created_at);
void joinable_destroyed(std::source_location created_at);
/// Joins simulated thread `t` of the execution of `generation` (a thread or a forked child);
/// nothing when that execution is over.
void sim_join(thread_id t, std::uint64_t generation, std::source_location loc);
}  // namespace detail

/// Same as std::thread, plus: it takes one callable (bind arguments with a lambda) and the
/// caller's source location. Under the sim backend it is a fiber of the current execution:
/// creating it and joining it are scheduling points, and happens-before edges for the race
/// detector. Destroying it while joinable is std::terminate in the real program: the lab
/// reports `crash`. An exception escaping the callable is reported as `uncaught_exception`.
class thread {
 public:
  thread() noexcept = default;
  template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, thread>)
  explicit thread(F&& f, std::source_location loc = std::source_location::current()) : created_at_(loc) {
    if (auto* ex = rt::execution::current()) {
      sim_ = ex->spawn(std::forward<F>(f), loc);
      generation_ = ex->generation();
    } else {
      if (rt::execution::someone_explores()) rt::execution::foreign_thread();
      native_ = std::thread([fn = std::forward<F>(f), loc]() mutable {
        detail::native_thread_body([](void* p) { (*static_cast<std::decay_t<F>*>(p))(); }, &fn, loc);
      });
    }
  }
  thread(thread&& o) noexcept
      : native_(std::move(o.native_)),
        sim_(std::exchange(o.sim_, no_thread)),
        generation_(o.generation_),
        created_at_(o.created_at_) {}
  thread& operator=(thread&& o) noexcept {
    if (joinable()) detail::joinable_destroyed(created_at_);
    native_ = std::move(o.native_);
    sim_ = std::exchange(o.sim_, no_thread);
    generation_ = o.generation_;
    created_at_ = o.created_at_;
    return *this;
  }
  ~thread() {
    if (joinable()) detail::joinable_destroyed(created_at_);
  }

  bool joinable() const noexcept;
  void join(std::source_location loc = std::source_location::current());
  void detach();
  /// The simulated thread id (T1, T2 ...); no_thread on the native backend.
  thread_id sim_id() const noexcept { return sim_; }

 private:
  std::thread native_;
  thread_id sim_ = no_thread;
  std::uint64_t generation_ = 0;
  std::source_location created_at_{};
};

namespace this_thread {

/// Same as std::this_thread::yield, plus: a scheduling point that tells the strategy this
/// thread is spinning (PCT lowers its priority), so spin loops do not run forever.
void yield(std::source_location loc = std::source_location::current());

/// Same as std::this_thread::sleep_for; under the sim backend it sleeps in virtual time, which
/// advances only when no thread can run.
void sleep_for(std::chrono::nanoseconds d, std::source_location loc = std::source_location::current());

/// Not in std: computes for `d` - the model of CPU-bound work. Under the sim backend the thread
/// is busy for `d` of virtual time (every thread has a CPU of its own in this model; other
/// threads run meanwhile), so latencies and throughput come out in deterministic virtual time.
/// Under the native backend it really spins for `d`.
void work(std::chrono::nanoseconds d, std::source_location loc = std::source_location::current());

}  // namespace this_thread

/// Virtual time since the execution began under the sim backend; steady_clock time otherwise.
std::chrono::nanoseconds now();

/// Not in std: records one latency sample of the measurement `name` (e.g. "short request
/// latency"); the run report gives each name's count, p50, p99 and max. Under the sim backend
/// samples are virtual time, deterministic: those of the failing execution when the run has a
/// finding, else those of every execution explored.
///
///   auto start = lab::now();
///   auto reply = pool.submit(handle).get();
///   lab::record_latency("request latency", lab::now() - start);
void record_latency(std::string_view name, std::chrono::nanoseconds d);

/// Not in std: a time budget. Records `took` as a sample of the measurement `what` and, when it
/// exceeds `budget`, reports `slowdown` at this line (the execution runs on, as for starvation,
/// so the other measurements stay complete). Under the sim backend both are virtual time, so
/// the verdict is deterministic: a performance contract checked like an assertion. Under the
/// native backend only the sample is recorded: real time on a busy machine, with work scaled by
/// --work-scale, is not the time the budget was written for.
///
///   auto start = lab::now();
///   auto squares = pool.map(square, items);
///   lab::expect_within("map over 1,000 items", lab::now() - start, 20ms);  // beat doing it inline
void expect_within(std::string_view what, std::chrono::nanoseconds took, std::chrono::nanoseconds budget,
                   std::source_location loc = std::source_location::current());

/// The lab's assert: when `condition` is false, the sim backend reports `assertion_failed` at
/// this line and ends the execution; the native backend records the finding and goes on.
void assert_that(bool condition, const char* what = "", std::source_location loc = std::source_location::current());

}  // namespace lab
