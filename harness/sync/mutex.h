// lab::mutex and lab::recursive_mutex, with lock_guard, unique_lock and scoped_lock.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <source_location>
#include <tuple>

#include "harness/sync/fork_copy.h"
#include "harness/sync/object.h"

namespace lab {
namespace detail {

/// The simulated half of a mutex; the native half is a std::mutex in the derived class.
/// Every operation: scheduling point, the operation (blocking while another thread owns the
/// mutex; retried after each wake-up, so waiters compete when it is released), event. A thread
/// of a forked child (lab::fork) works on the child's copy instead (mutex_fork_copy).
class mutex_core {
 public:
  /// `handoff`: unlock passes ownership straight to the longest waiter (FIFO), instead of
  /// letting everyone, the unlocker included, race for it.
  mutex_core(bool recursive, bool handoff, const char* name, std::source_location loc)
      : recursive_(recursive), handoff_(handoff), id_{0, no_object, name, loc} {}
  void sim_lock(rt::execution& ex, std::source_location loc);
  bool sim_try_lock(rt::execution& ex, std::source_location loc);
  void sim_unlock(rt::execution& ex, std::source_location loc);
  /// lock/unlock without a scheduling point, for condition_variable::wait.
  void sim_acquire(rt::execution& ex, std::source_location loc);
  void sim_release(rt::execution& ex, std::source_location loc);
  void sim_destroy();
  object_id sim_id() const { return id_.id; }

 private:
  /// Registers the mutex at its first use in an execution (and resets its state then).
  void refresh(rt::execution& ex) {
    if (!id_.live_in(ex)) [[unlikely]]
      first_use(ex);
  }
  void first_use(rt::execution& ex);
  /// The operations after their point (refreshed already).
  void acquire(rt::execution& ex, std::source_location loc);
  void release(rt::execution& ex, std::source_location loc);
  /// Before every change of owner_: lets the fork copy take its snapshot (after a fork only).
  void note_fork(rt::execution& ex) {
    if (ex.forks() != 0) [[unlikely]]
      fork_copy(ex).note(ex, owner_, depth_);
  }
  mutex_fork_copy& fork_copy(rt::execution& ex);
  bool recursive_;
  bool handoff_;
  bool handed_off_ = false;  ///< owner_ was given the mutex by unlock and has not run yet
  sim_identity id_;
  thread_id owner_ = no_thread;
  std::uint32_t depth_ = 0;
  std::unique_ptr<mutex_fork_copy> fork_;  ///< made at the first use after a fork
};

}  // namespace detail

class condition_variable;

namespace detail {

/// Both mutexes: the simulated half (mutex_core) under the sim backend, `Native` otherwise.
template <class Native, bool Recursive, bool Handoff = false>
class basic_mutex : private mutex_core {
 public:
  basic_mutex(const char* name, std::source_location loc) : mutex_core(Recursive, Handoff, name, loc) {}
  basic_mutex(const basic_mutex&) = delete;
  basic_mutex& operator=(const basic_mutex&) = delete;
  ~basic_mutex() { sim_destroy(); }

  void lock(std::source_location loc = std::source_location::current()) {
    dispatch([&](rt::execution& ex) { sim_lock(ex, loc); }, [&] { native_.lock(); });
  }
  bool try_lock(std::source_location loc = std::source_location::current()) {
    return dispatch([&](rt::execution& ex) { return sim_try_lock(ex, loc); }, [&] { return native_.try_lock(); });
  }
  void unlock(std::source_location loc = std::source_location::current()) {
    dispatch([&](rt::execution& ex) { sim_unlock(ex, loc); }, [&] { native_.unlock(); });
  }

 private:
  friend class lab::condition_variable;
  Native native_;
};

}  // namespace detail

/// Same as std::mutex, plus: every operation takes the caller's source location and, under the
/// sim backend, is a scheduling point. Relocking it from the owning thread blocks forever, as a
/// real non-recursive mutex does; the lab reports the one-thread deadlock.
class mutex : public detail::basic_mutex<std::mutex, false> {
 public:
  explicit mutex(const char* name = nullptr, std::source_location loc = std::source_location::current())
      : basic_mutex(name, loc) {}
};

/// Same as std::recursive_mutex, plus what lab::mutex adds.
class recursive_mutex : public detail::basic_mutex<std::recursive_mutex, true> {
 public:
  explicit recursive_mutex(const char* name = nullptr, std::source_location loc = std::source_location::current())
      : basic_mutex(name, loc) {}
};

namespace detail {
/// Native FIFO lock: a ticket lock on std::mutex and std::condition_variable.
class native_ticket_mutex {
 public:
  void lock();
  bool try_lock();
  void unlock();

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::uint64_t next_ = 0, serving_ = 0;
};
}  // namespace detail

/// A mutex with FIFO hand-off (not in std): unlock gives the mutex to the thread that has waited
/// longest, so a thread that re-locks at once cannot barge ahead and nobody starves. Costs a
/// context switch per contended hand-off on real threads, which is why std::mutex does not.
class fifo_mutex : public detail::basic_mutex<detail::native_ticket_mutex, false, true> {
 public:
  explicit fifo_mutex(const char* name = nullptr, std::source_location loc = std::source_location::current())
      : basic_mutex(name, loc) {}
};

/// A mutex reference and the line that named it: how the lock wrappers below learn the
/// caller's location through class template argument deduction.
template <class M>
struct located_ref {
  located_ref(M& m, std::source_location l = std::source_location::current())  // NOLINT(google-explicit-constructor)
      : ref(m), loc(l) {}
  M& ref;
  std::source_location loc;
};

/// Same as std::lock_guard, plus: lock and unlock are recorded at the line that declared it.
/// (std::lock_guard<lab::mutex> works too, but its events then point into <mutex>.)
template <class M>
class lock_guard {
 public:
  explicit lock_guard(located_ref<M> m) : m_(m.ref), loc_(m.loc) { m_.lock(loc_); }
  lock_guard(const lock_guard&) = delete;
  lock_guard& operator=(const lock_guard&) = delete;
  ~lock_guard() { m_.unlock(loc_); }

 private:
  M& m_;
  std::source_location loc_;
};
template <class M>
lock_guard(M&) -> lock_guard<M>;

/// Same as std::unique_lock (lock on construction, movable, unlock/lock again), plus
/// source locations. Works with lab::condition_variable.
template <class M>
class unique_lock {
 public:
  using mutex_type = M;
  explicit unique_lock(located_ref<M> m) : m_(&m.ref), loc_(m.loc) {
    m_->lock(loc_);
    owns_ = true;
  }
  unique_lock(located_ref<M> m, std::defer_lock_t) noexcept : m_(&m.ref), loc_(m.loc) {}
  unique_lock(unique_lock&& o) noexcept : m_(std::exchange(o.m_, nullptr)), loc_(o.loc_), owns_(std::exchange(o.owns_, false)) {}
  unique_lock& operator=(unique_lock&& o) noexcept {
    if (owns_) m_->unlock(loc_);
    m_ = std::exchange(o.m_, nullptr);
    loc_ = o.loc_;
    owns_ = std::exchange(o.owns_, false);
    return *this;
  }
  ~unique_lock() {
    if (owns_) m_->unlock(loc_);
  }
  void lock(std::source_location loc = std::source_location::current()) {
    m_->lock(loc);
    owns_ = true;
  }
  bool try_lock(std::source_location loc = std::source_location::current()) { return owns_ = m_->try_lock(loc); }
  void unlock(std::source_location loc = std::source_location::current()) {
    owns_ = false;
    m_->unlock(loc);
  }
  bool owns_lock() const noexcept { return owns_; }
  M* mutex() const noexcept { return m_; }

 private:
  M* m_;
  std::source_location loc_;
  bool owns_ = false;
};
template <class M>
unique_lock(M&) -> unique_lock<M>;

namespace detail {
void yield_at(std::source_location loc);
}  // namespace detail

/// Same as std::scoped_lock: locks every mutex without deadlock whatever order other threads
/// use (lock the first, try the rest, back off and start from the one that was busy - the
/// libstdc++ algorithm), plus source locations. Under the sim backend the back-off is explored
/// like everything else.
template <class M0, class... M>
class scoped_lock {
 public:
  explicit scoped_lock(located_ref<M0> first, M&... rest) : ms_(first.ref, rest...), loc_(first.loc) {
    if constexpr (sizeof...(M) == 0) {
      std::get<0>(ms_).lock(loc_);
    } else {
      std::size_t start = 0;
      while (!try_all_from(start, start)) detail::yield_at(loc_);
    }
  }
  scoped_lock(const scoped_lock&) = delete;
  scoped_lock& operator=(const scoped_lock&) = delete;
  ~scoped_lock() {
    std::apply([this](auto&... m) { (m.unlock(loc_), ...); }, ms_);
  }

 private:
  static constexpr std::size_t n = 1 + sizeof...(M);
  template <std::size_t... I>
  void for_index(std::size_t i, auto&& f, std::index_sequence<I...>) {
    ((I == i ? f(std::get<I>(ms_)) : void()), ...);
  }
  void with(std::size_t i, auto&& f) { for_index(i, f, std::make_index_sequence<n>{}); }
  /// Locks mutex `first`, then tries the others in order; on a busy one, releases what it took,
  /// sets `next` to the busy one and returns false.
  bool try_all_from(std::size_t first, std::size_t& next) {
    with(first, [&](auto& m) { m.lock(loc_); });
    for (std::size_t k = 1; k < n; ++k) {
      std::size_t i = (first + k) % n;
      bool ok = false;
      with(i, [&](auto& m) { ok = m.try_lock(loc_); });
      if (!ok) {
        for (std::size_t j = 0; j < k; ++j) with((first + j) % n, [&](auto& m) { m.unlock(loc_); });
        next = i;
        return false;
      }
    }
    return true;
  }
  std::tuple<M0&, M&...> ms_;
  std::source_location loc_;
};
template <class M0, class... M>
scoped_lock(M0&, M&...) -> scoped_lock<M0, M...>;

}  // namespace lab
