// Identifiers shared by every layer: threads and objects of one execution.
#pragma once

#include <cstdint>

namespace lab {

/// Index of a thread within one execution: T0 is the scenario body, T1.. are spawned in order.
/// Dense, so detectors index tables with it. An execution holds at most `max_threads` threads.
using thread_id = std::uint32_t;

/// Index of an instrumented object (mutex, variable, ...) within one execution, in order of
/// first use. Dense and shared by all object kinds.
using object_id = std::uint32_t;

inline constexpr thread_id no_thread = ~thread_id{0};
inline constexpr object_id no_object = ~object_id{0};

/// The runnable set is a 64-bit mask, so one execution runs at most 64 threads.
inline constexpr thread_id max_threads = 64;

/// What an object is; reports give each kind its own short prefix (M1, V1, ...).
enum class object_kind : std::uint8_t {
  mutex,
  recursive_mutex,
  condition_variable,
  atomic,
  shared,
  semaphore,
  shared_mutex,
  pool,        ///< a thread pool: its queue and workers
  event_loop,  ///< a coroutine event loop
  coro_task,   ///< a coroutine task (T is taken by threads: tasks are K1, K2 ...)
};

/// Short id prefix of a kind, as reports print it: M (mutexes), C (condition variables),
/// A (atomics), V (plain shared variables), S (semaphores), R (reader-writer locks), P (pools), L (event loops), K (coroutine tasks).
constexpr char id_prefix(object_kind k) {
  switch (k) {
    case object_kind::mutex:
    case object_kind::recursive_mutex: return 'M';
    case object_kind::condition_variable: return 'C';
    case object_kind::atomic: return 'A';
    case object_kind::shared: return 'V';
    case object_kind::semaphore: return 'S';
    case object_kind::shared_mutex: return 'R';
    case object_kind::pool: return 'P';
    case object_kind::event_loop: return 'L';
    case object_kind::coro_task: return 'K';
  }
  return '?';
}

}  // namespace lab
