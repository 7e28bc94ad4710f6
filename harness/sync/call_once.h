// lab::once_flag and lab::call_once.
#pragma once

#include <utility>

#include "harness/sync/atomic.h"
#include "harness/sync/mutex.h"

namespace lab {

class once_flag;

/// Same as std::call_once (without the arguments: bind them with a lambda), plus: built from
/// lab::mutex and lab::atomic, so the sim backend explores it like any other code and the race
/// detector sees that the call happens-before every return from call_once. If `f` throws, the
/// flag stays unset and the exception propagates, as with std::call_once.
template <class F>
void call_once(once_flag& flag, F&& f, std::source_location loc = std::source_location::current());

/// Same as std::once_flag.
class once_flag {
 public:
  explicit once_flag(const char* name = nullptr, std::source_location loc = std::source_location::current())
      : m_(name, loc), done_(false, name, loc) {}

 private:
  template <class F>
  friend void call_once(once_flag&, F&&, std::source_location);
  lab::mutex m_;
  lab::atomic<bool> done_;
};

template <class F>
void call_once(once_flag& flag, F&& f, std::source_location loc) {
  // seq_cst, not the acquire/release that would do: the lab's own primitive asks for no order
  // the memory model would need to explore (see lab::atomic).
  if (flag.done_.load(std::memory_order_seq_cst, loc)) return;
  lab::lock_guard<lab::mutex> hold(located_ref<lab::mutex>(flag.m_, loc));
  if (flag.done_.load(std::memory_order_seq_cst, loc)) return;
  std::forward<F>(f)();
  flag.done_.store(true, std::memory_order_seq_cst, loc);
}

}  // namespace lab
