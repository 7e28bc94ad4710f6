// lab::condition_variable: std::condition_variable for lab::unique_lock<lab::mutex>.
#pragma once

#include <chrono>
#include <optional>

#include <condition_variable>

#include "harness/sync/mutex.h"

namespace lab {

/// Same as std::condition_variable, plus: source locations, and under the sim backend
///  - wait() releases the mutex, may wake spuriously (a recorded strategy choice: the random and
///    PCT strategies take it with probability --spurious), else blocks until notified, then
///    retakes the mutex, competing with other lockers;
///  - notify_one() wakes the longest waiter; a notify with nobody waiting is remembered, so a
///    waiter that then blocks forever is reported as a lost wakeup.
class condition_variable {
 public:
  explicit condition_variable(const char* name = nullptr, std::source_location loc = std::source_location::current())
      : id_{0, no_object, name, loc} {}
  condition_variable(const condition_variable&) = delete;
  condition_variable& operator=(const condition_variable&) = delete;

  /// For the lab's own primitives: this object's id in the current execution (registered now if
  /// it was not used yet); no_object on the native backend.
  object_id sim_object();

  void notify_one(std::source_location loc = std::source_location::current());
  void notify_all(std::source_location loc = std::source_location::current());
  void wait(unique_lock<mutex>& lock, std::source_location loc = std::source_location::current());
  /// Same as std::condition_variable::wait_for: under the sim backend `d` is virtual time (it
  /// passes when no thread can run), so a timeout is deterministic. Returns whether it timed out.
  std::cv_status wait_for(unique_lock<mutex>& lock, std::chrono::nanoseconds d,
                          std::source_location loc = std::source_location::current());
  /// while (!pred()) if (wait_for(...) == timeout) return pred();
  template <class Pred>
  bool wait_for(unique_lock<mutex>& lock, std::chrono::nanoseconds d, Pred pred,
                std::source_location loc = std::source_location::current()) {
    auto deadline = now_ns() + d;
    while (!pred()) {
      auto left = deadline - now_ns();
      if (left <= std::chrono::nanoseconds::zero() || wait_for(lock, left, loc) == std::cv_status::timeout) return pred();
      if (auto* ex = rt::execution::current(); ex && ex->aborting()) return false;
    }
    return true;
  }
  /// while (!pred()) wait(lock);
  template <class Pred>
  void wait(unique_lock<mutex>& lock, Pred pred, std::source_location loc = std::source_location::current()) {
    while (!pred()) {
      wait(lock, loc);
      if (auto* ex = rt::execution::current(); ex && ex->aborting()) return;
    }
  }

 private:
  void sim_notify(rt::execution& ex, bool all, std::source_location loc);
  bool sim_wait(rt::execution& ex, unique_lock<mutex>& lock, std::optional<std::uint64_t> timeout_ns,
                std::source_location loc);
  static std::chrono::nanoseconds now_ns();
  std::condition_variable_any native_;
  detail::sim_identity id_;
};

}  // namespace lab
