// lab::counting_semaphore and lab::binary_semaphore.
#pragma once

#include <cstddef>
#include <semaphore>

#include "harness/sync/object.h"

namespace lab {
namespace detail {

/// The simulated half of a semaphore: a permit count; acquire blocks while it is zero and is
/// retried after every release (waiters compete, as with a real semaphore). A release
/// happens-before the acquire that takes its permit.
class semaphore_core {
 public:
  semaphore_core(std::ptrdiff_t initial, const char* name, std::source_location loc)
      : initial_(initial), id_{0, no_object, name, loc} {}
  void sim_acquire(rt::execution& ex, std::source_location loc);
  bool sim_try_acquire(rt::execution& ex, std::source_location loc);
  void sim_release(rt::execution& ex, std::ptrdiff_t n, std::source_location loc);

 private:
  void refresh(rt::execution& ex);
  std::ptrdiff_t initial_;
  std::ptrdiff_t count_ = 0;
  sim_identity id_;
};

}  // namespace detail

/// Same as std::counting_semaphore, plus: source locations, and under the sim backend every
/// operation is a scheduling point. Waiting for a permit that never comes is reported as a
/// deadlock naming the semaphore.
template <std::ptrdiff_t LeastMaxValue = 1'000'000>
class counting_semaphore : private detail::semaphore_core {
 public:
  explicit counting_semaphore(std::ptrdiff_t desired, const char* name = nullptr,
                              std::source_location loc = std::source_location::current())
      : semaphore_core(desired, name, loc), native_(desired) {}
  counting_semaphore(const counting_semaphore&) = delete;
  counting_semaphore& operator=(const counting_semaphore&) = delete;

  static constexpr std::ptrdiff_t max() noexcept { return LeastMaxValue; }

  void acquire(std::source_location loc = std::source_location::current()) {
    detail::dispatch([&](rt::execution& ex) { sim_acquire(ex, loc); }, [&] { native_.acquire(); });
  }
  bool try_acquire(std::source_location loc = std::source_location::current()) {
    return detail::dispatch([&](rt::execution& ex) { return sim_try_acquire(ex, loc); },
                            [&] { return native_.try_acquire(); });
  }
  void release(std::ptrdiff_t update = 1, std::source_location loc = std::source_location::current()) {
    detail::dispatch([&](rt::execution& ex) { sim_release(ex, update, loc); }, [&] { native_.release(update); });
  }

 private:
  std::counting_semaphore<LeastMaxValue> native_;
};

/// Same as std::binary_semaphore.
using binary_semaphore = counting_semaphore<1>;

}  // namespace lab
