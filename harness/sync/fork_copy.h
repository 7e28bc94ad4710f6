// The forked child's copy of a mutex (lab::fork): the model of what fork() does to a lock.
#pragma once

#include <cstdint>
#include <source_location>

#include "harness/sync/object.h"

namespace lab::detail {

/// A forked child process has its own copy of every mutex, a separate object to the detectors,
/// in the state the mutex had at the fork. A copy locked at the fork by the forking thread
/// belongs to the child's thread; one locked by any other thread stays locked forever - that
/// thread does not exist in the child - and a child that locks it blocks forever
/// (op::lock_inherited, which the fork detector reports). The copies are those of the latest
/// fork: the model forks once per execution.
///
/// The snapshot is taken lazily: the original calls `note` before every change of its owner,
/// and the first call after a fork records the state, which nothing has changed since the fork.
/// Only mutexes used after a fork have a copy (mutex_core makes it on demand).
class mutex_fork_copy {
 public:
  mutex_fork_copy(bool recursive, const char* name, std::source_location loc)
      : recursive_(recursive), id_{0, no_object, name, loc} {}
  /// A new execution: no fork seen yet.
  void reset() { forks_seen_ = 0; }
  /// Called by the original before it changes its owner (and at its first use after a fork).
  void note(const rt::execution& ex, thread_id owner, std::uint32_t depth) {
    if (forks_seen_ == ex.forks()) return;  // the snapshot of the latest fork is taken
    forks_seen_ = ex.forks();
    owner_at_fork_ = owner;
    depth_at_fork_ = depth;
  }
  /// lock (try_only: try_lock) by a thread of the child: true when it got the copy. A copy
  /// held by a thread the child does not have blocks the caller forever.
  bool acquire(rt::execution& ex, object_id original, std::source_location loc, bool try_only);
  /// unlock by a thread of the child.
  void release(rt::execution& ex, std::source_location loc);

 private:
  /// Sets the copy up at its first use in the execution.
  void refresh(rt::execution& ex, std::source_location loc);

  bool recursive_;
  std::uint32_t forks_seen_ = 0;  ///< the snapshot below is of this fork
  thread_id owner_at_fork_ = no_thread;
  std::uint32_t depth_at_fork_ = 0;
  sim_identity id_;  ///< the copy, a separate object
  thread_id owner_ = no_thread;
  std::uint32_t depth_ = 0;
};

}  // namespace lab::detail
