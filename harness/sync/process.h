// lab::fork and lab::process: a child process that starts as a copy of its parent.
#pragma once

#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <source_location>
#include <type_traits>

#include "harness/sync/object.h"

namespace lab {

namespace detail {
int native_fork();                 ///< ::fork(), after flushing stdio; throws std::system_error on failure
int native_wait_process(int pid);  ///< waitpid: the exit status, or 128 + the signal that ended it
}  // namespace detail

class process;
template <class F>
process fork(F&& child, std::source_location loc = std::source_location::current());

/// A child process made by lab::fork. Same as a pid from POSIX fork(), plus: wait() takes the
/// caller's source location and, under the sim backend, is a join of the child's thread. Not
/// waiting for a child leaves a zombie in the real program, nothing worse; the lab says nothing.
class process {
 public:
  process() noexcept = default;
  /// Waits for the child to exit (waitpid) and returns its exit status: 0 when `child`
  /// returned, 1 when it threw. Under the sim backend a scheduling point; the child's effects
  /// happen-before what follows.
  int wait(std::source_location loc = std::source_location::current());
  /// The child's only thread (T<n>) under the sim backend; no_thread on the native backend.
  thread_id sim_id() const noexcept { return sim_; }

 private:
  template <class F>
  friend process fork(F&& child, std::source_location loc);
  int pid_ = -1;
  thread_id sim_ = no_thread;
  std::uint64_t generation_ = 0;
};

/// Same as POSIX fork(), for a child that runs `child` and exits: the child starts with a copy
/// of the parent's memory and only the calling thread. Whatever the parent's other threads were
/// doing at that moment does not exist in the child - in particular a mutex one of them held
/// stays locked there forever, and a child that locks it (to log, to allocate) hangs. That is
/// the bug the lab shows (scenarios/fork_with_held_lock).
///
///   lab::process helper = lab::fork([&] { log.write("helper started"); });
///   int status = helper.wait();
///
/// Under the sim backend the child is a thread of the execution in a process of its own
/// (rt::execution::fork): every lab::mutex it touches is its own copy, a separate object in the
/// report, in the state it had at the fork; a copy locked by a thread that was not copied makes
/// the child's lock block forever, which the fork detector reports as a deadlock with the
/// thread that held the lock and the fork that lost it. Model limits: only mutexes are copied
/// (other lab objects the child touches are shared with the parent, as between threads); one
/// fork per execution. Under the native backend it is ::fork() and the child ends with _Exit.
template <class F>
process fork(F&& child, std::source_location loc) {
  process p;
  if (auto* ex = rt::execution::current()) {
    p.sim_ = ex->fork(std::forward<F>(child), loc);
    p.generation_ = ex->generation();
    return p;
  }
  detail::native_jitter();
  p.pid_ = detail::native_fork();
  if (p.pid_ == 0) {
    int status = 0;
    try {
      child();
    } catch (...) {
      status = 1;
    }
    std::fflush(nullptr);
    std::_Exit(status);
  }
  return p;
}

}  // namespace lab
