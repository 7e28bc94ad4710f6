// lab::shared_mutex (a reader-writer lock with a choice of policy) and lab::shared_lock.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <vector>
#include <mutex>
#include <shared_mutex>

#include "harness/sync/mutex.h"

namespace lab {

/// Who goes first when readers and writers compete.
enum class rw_policy : std::uint8_t {
  /// A reader gets in whenever no writer holds the lock, even while writers wait: readers that
  /// keep overlapping starve a writer forever. (glibc's default rwlock, and std::shared_mutex
  /// on it, behave this way.)
  reader_preferring,
  /// Task-fair: requests are served in arrival order; consecutive readers at the head of the
  /// queue share the lock, a writer waits only for those ahead of it. Nobody starves.
  fair,
};

namespace detail {

/// The simulated half. Every request takes a ticket; a waiting request may proceed when it is
/// compatible with the holders and, under the fair policy, no earlier ticket is still waiting.
class shared_mutex_core {
 public:
  shared_mutex_core(rw_policy p, const char* name, std::source_location loc) : policy_(p), id_{0, no_object, name, loc} {}
  void sim_lock(rt::execution& ex, bool shared, std::source_location loc);
  bool sim_try_lock(rt::execution& ex, bool shared, std::source_location loc);
  void sim_unlock(rt::execution& ex, bool shared, std::source_location loc);

 private:
  void refresh(rt::execution& ex);
  bool may_enter(bool shared, std::uint64_t ticket) const;
  rw_policy policy_;
  sim_identity id_;
  thread_id writer_ = no_thread;
  std::uint32_t readers_ = 0;
  std::uint64_t next_ticket_ = 0;
  // Tickets of waiting requests, oldest first (bounded by the thread count).
  struct waiting {
    std::uint64_t ticket;
    bool shared;
  };
  std::vector<waiting> queue_;  ///< allocated on the first contention only
};

/// Native task-fair reader-writer lock (std::shared_mutex has no policy knob).
class native_fair_rwlock {
 public:
  void lock();
  bool try_lock();
  void unlock();
  void lock_shared();
  bool try_lock_shared();
  void unlock_shared();

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::uint64_t next_ticket_ = 0, serving_ = 0;  // FIFO order of entry
  std::uint32_t readers_ = 0;
  bool writer_ = false;
};

}  // namespace detail

/// Same as std::shared_mutex, plus: a policy (default reader_preferring, as glibc's), source
/// locations, and under the sim backend every operation is a scheduling point. Exclusive locks
/// are seen by the deadlock, lock-order and misuse detectors like any mutex; shared locks
/// order a writer after the readers before it for the race detector.
class shared_mutex : private detail::shared_mutex_core {
 public:
  explicit shared_mutex(rw_policy policy = rw_policy::reader_preferring, const char* name = nullptr,
                        std::source_location loc = std::source_location::current())
      : shared_mutex_core(policy, name, loc), policy_(policy) {}
  shared_mutex(const shared_mutex&) = delete;
  shared_mutex& operator=(const shared_mutex&) = delete;

  void lock(std::source_location loc = std::source_location::current()) { op(false, loc, &native_lock); }
  bool try_lock(std::source_location loc = std::source_location::current());
  void unlock(std::source_location loc = std::source_location::current());
  void lock_shared(std::source_location loc = std::source_location::current()) { op(true, loc, &native_lock_shared); }
  bool try_lock_shared(std::source_location loc = std::source_location::current());
  void unlock_shared(std::source_location loc = std::source_location::current());

 private:
  static void native_lock(shared_mutex& m);
  static void native_lock_shared(shared_mutex& m);
  void op(bool shared, std::source_location loc, void (*native)(shared_mutex&)) {
    detail::dispatch([&](rt::execution& ex) { sim_lock(ex, shared, loc); }, [&] { native(*this); });
  }
  rw_policy policy_;
  std::shared_mutex native_preferring_;
  detail::native_fair_rwlock native_fair_;
};

/// Same as std::shared_lock (lock_shared on construction, unlock_shared on destruction), plus
/// the declaring line.
template <class M>
class shared_lock {
 public:
  explicit shared_lock(located_ref<M> m) : m_(&m.ref), loc_(m.loc) { m_->lock_shared(loc_); }
  shared_lock(const shared_lock&) = delete;
  shared_lock& operator=(const shared_lock&) = delete;
  ~shared_lock() { m_->unlock_shared(loc_); }

 private:
  M* m_;
  std::source_location loc_;
};
template <class M>
shared_lock(M&) -> shared_lock<M>;

}  // namespace lab
