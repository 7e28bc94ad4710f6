// lab::gil: a model of CPython's global interpreter lock, for threads that "run Python".
//
// Semantics follow CPython 3.2+ (Python/ceval_gil.c, the "new GIL" by Antoine Pitrou): one
// thread holds the GIL and runs bytecode. A thread that wants it waits on a condition for the
// switch interval (sys.getswitchinterval(), 5 ms); when the wait times out it sets a drop
// request, and the holder gives the GIL up at its next check of the eval breaker and waits until
// another thread has taken it (FORCE_SWITCHING), then queues to take it back. Blocking I/O
// releases the GIL for its duration. The holder's checks are modelled once per switch interval
// of CPU work, so a waiter that arrives while another thread computes waits between one and two
// intervals - CPython measured on a 2-core machine shows p99 about twice the interval.
//
// Under the sim backend everything is virtual time, deterministic. The detectors see the GIL as a
// lock (a mutex named "GIL", M<n>) registered with the switch interval as its own starvation
// limit (object_traits::wait_limit_ns): a thread that waited a whole interval for the GIL while
// another thread ran Python is starved in CPython's own terms - that is the moment CPython
// forces a switch. The convoy effect and the missing parallel speed-up are reported that way,
// with the latencies the scenario measures.
#pragma once

#include <chrono>

#include "harness/sync/condition_variable.h"
#include "harness/sync/mutex.h"

namespace lab {

class gil {
 public:
  explicit gil(std::chrono::nanoseconds switch_interval = std::chrono::milliseconds(5), const char* name = "GIL",
               std::source_location loc = std::source_location::current());
  gil(const gil&) = delete;
  gil& operator=(const gil&) = delete;

  /// take_gil: waits until this thread holds the GIL (asking the holder to drop it after each
  /// switch interval waited).
  void acquire(std::source_location loc = std::source_location::current());
  /// drop_gil: gives the GIL up and wakes a waiter.
  void release(std::source_location loc = std::source_location::current());
  /// Python code running for `d` of CPU time; the caller holds the GIL. Every switch interval,
  /// if another thread asked for the GIL, hands it over and takes it back afterwards.
  void compute(std::chrono::nanoseconds d, std::source_location loc = std::source_location::current());
  /// A blocking call that releases the GIL (time.sleep, socket.recv): the GIL is free for `d`,
  /// then the thread takes it back. The caller holds the GIL.
  void blocking_io(std::chrono::nanoseconds d, std::source_location loc = std::source_location::current());

  std::chrono::nanoseconds switch_interval() const { return interval_; }

 private:
  void emit(op kind, std::source_location loc);
  void drop_locked(unique_lock<mutex>& lk);

  std::chrono::nanoseconds interval_;
  detail::sim_identity id_;
  lab::mutex m_;
  lab::condition_variable cv_;
  bool locked_ = false;        // guarded by m_
  bool drop_request_ = false;  // guarded by m_
  int waiters_ = 0;            // guarded by m_
  std::uint64_t switches_ = 0;  // guarded by m_: hand-overs so far
};

}  // namespace lab
