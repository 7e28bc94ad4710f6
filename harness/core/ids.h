// Identifiers shared by every layer: threads and objects of one execution.
#pragma once

#include <concepts>
#include <cstdint>

#include <fmt/format.h>

namespace lab {

/// Index of a thread within one execution: T0 is the scenario body, T1.. are spawned in order.
/// A strong type: made from a number only explicitly (`thread_id{3}`), formatted as reports
/// print it (`fmt::format("{}", t)` is "T3"). It converts to its index implicitly, because
/// detectors index their dense per-thread tables with it. An execution holds at most
/// `max_threads` threads.
struct thread_id {
  std::uint32_t value = ~std::uint32_t{0};
  constexpr thread_id() = default;
  /// From an index of any integral type (a bit position, an event's argument).
  template <std::integral I>
  constexpr explicit thread_id(I v) : value(static_cast<std::uint32_t>(v)) {}
  constexpr operator std::uint32_t() const { return value; }  // NOLINT(google-explicit-constructor)
};

/// Index of an instrumented object (mutex, variable, ...) within one execution, in order of
/// first use. Dense and shared by all object kinds; reports name an object by its kind's prefix
/// and its ordinal among objects of that prefix (M1, V2: see object_info).
using object_id = std::uint32_t;

inline constexpr thread_id no_thread{};
inline constexpr object_id no_object = ~object_id{0};

/// Threads one execution may start (T0 included). Thread sets are bitmaps of this many bits
/// (core/thread_set.h) and per-thread tables are dense up to it; a program of a few threads
/// pays for the threads it has, not for this bound.
inline constexpr std::uint32_t max_threads = 1024;

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
  async_mutex,      ///< lab::async_mutex (asyncio.Lock): M, as mutexes
  async_semaphore,  ///< lab::async_semaphore: S, as semaphores
  async_event,      ///< lab::async_event (asyncio.Event): E
  async_queue,      ///< lab::async_queue (asyncio.Queue): Q
};

/// Short id prefix of a kind, as reports print it: M (mutexes), C (condition variables),
/// A (atomics), V (plain shared variables), S (semaphores), R (reader-writer locks), P (pools), L (event loops), K (coroutine tasks),
/// E (async events), Q (async queues); async locks count as M and async semaphores as S.
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
    case object_kind::async_mutex: return 'M';
    case object_kind::async_semaphore: return 'S';
    case object_kind::async_event: return 'E';
    case object_kind::async_queue: return 'Q';
  }
  return '?';
}

}  // namespace lab

/// "T3"; "T?" for no_thread.
template <>
struct fmt::formatter<lab::thread_id> : fmt::formatter<std::string_view> {
  auto format(lab::thread_id t, format_context& ctx) const -> decltype(ctx.out()) {
    if (t == lab::no_thread) return fmt::format_to(ctx.out(), "T?");
    return fmt::format_to(ctx.out(), "T{}", t.value);
  }
};
