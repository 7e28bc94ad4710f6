// lab::atomic<T>: std::atomic with every operation a scheduling point.
#pragma once

#include <atomic>
#include <type_traits>

#include "harness/sync/object.h"

namespace lab {
namespace detail {
template <class T>
constexpr bool value_printable = std::is_integral_v<T> || std::is_enum_v<T>;
template <class T>
std::uint64_t value_bits(const T& v) {
  if constexpr (value_printable<T>) return static_cast<std::uint64_t>(v);
  else return 0;
}
/// The event's order for a std::memory_order (consume is acquire, as every compiler has it).
constexpr atomic_order order_of(std::memory_order mo) {
  switch (mo) {
    case std::memory_order_relaxed: return atomic_order::relaxed;
    case std::memory_order_consume:
    case std::memory_order_acquire: return atomic_order::acquire;
    case std::memory_order_release: return atomic_order::release;
    case std::memory_order_acq_rel: return atomic_order::acq_rel;
    case std::memory_order_seq_cst: return atomic_order::seq_cst;
  }
  return atomic_order::seq_cst;
}
}  // namespace detail

/// Same as std::atomic<T>, plus: source locations, and under the sim backend every operation
/// is a scheduling point. Happens-before follows the order asked for (--memory-model rc11, the
/// default; harness/detect/race.h): a relaxed access does not synchronise, so a payload
/// published through a relaxed flag is a data race. Which store a load reads is not explored
/// yet: every load sees the latest store (sequential consistency) - and a report of a program
/// that asked for a weaker order says so (rt::execution::note_weaker_order), so that a stale
/// read is not taken for a clean verdict. --memory-model sc treats every order as seq_cst.
template <class T>
class atomic {
 public:
  explicit atomic(T init = T{}, const char* name = nullptr, std::source_location loc = std::source_location::current())
      : value_(init), id_{0, no_object, name, loc} {}
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

  T load(std::memory_order mo = std::memory_order_seq_cst, std::source_location loc = std::source_location::current()) const {
    return detail::dispatch(
        [&](rt::execution& ex) {
          note_order(ex, mo);
          if (!ex.schedule_point(pending(ex, op::atomic_load), loc)) return value_.load(std::memory_order_relaxed);
          id_.refresh(ex, object_kind::atomic);
          T v = value_.load(std::memory_order_relaxed);
          ex.emit(op::atomic_load, id_.id, loc, detail::value_bits(v), detail::value_printable<T>, order_of(mo));
          return v;
        },
        [&] { return value_.load(mo); });
  }
  void store(T v, std::memory_order mo = std::memory_order_seq_cst, std::source_location loc = std::source_location::current()) {
    detail::dispatch(
        [&](rt::execution& ex) {
          note_order(ex, mo);
          if (!ex.schedule_point(pending(ex, op::atomic_store), loc)) return;
          id_.refresh(ex, object_kind::atomic);
          value_.store(v, std::memory_order_relaxed);
          ex.emit(op::atomic_store, id_.id, loc, detail::value_bits(v), detail::value_printable<T>, order_of(mo));
        },
        [&] { value_.store(v, mo); });
  }
  T exchange(T v, std::memory_order mo = std::memory_order_seq_cst, std::source_location loc = std::source_location::current()) {
    return rmw([&](T) { return v; }, mo, loc, [&] { return value_.exchange(v, mo); });
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order mo = std::memory_order_seq_cst,
                               std::source_location loc = std::source_location::current()) {
    return detail::dispatch(
        [&](rt::execution& ex) {
          note_order(ex, mo);
          if (!ex.schedule_point(pending(ex, op::atomic_rmw), loc)) return false;
          id_.refresh(ex, object_kind::atomic);
          T cur = value_.load(std::memory_order_relaxed);
          if (cur == expected) {
            value_.store(desired, std::memory_order_relaxed);
            ex.emit(op::atomic_rmw, id_.id, loc, detail::value_bits(desired), detail::value_printable<T>);
            return true;
          }
          expected = cur;
          ex.emit(op::atomic_load, id_.id, loc, detail::value_bits(cur), detail::value_printable<T>);
          return false;
        },
        [&] { return value_.compare_exchange_strong(expected, desired, mo); });
  }
  /// Never fails spuriously under the sim backend (yet).
  bool compare_exchange_weak(T& expected, T desired, std::memory_order mo = std::memory_order_seq_cst,
                             std::source_location loc = std::source_location::current()) {
    return compare_exchange_strong(expected, desired, mo, loc);
  }
  T fetch_add(T d, std::memory_order mo = std::memory_order_seq_cst, std::source_location loc = std::source_location::current())
    requires std::is_integral_v<T>
  {
    return rmw([&](T v) { return static_cast<T>(v + d); }, mo, loc, [&] { return value_.fetch_add(d, mo); });
  }
  T fetch_sub(T d, std::memory_order mo = std::memory_order_seq_cst, std::source_location loc = std::source_location::current())
    requires std::is_integral_v<T>
  {
    return rmw([&](T v) { return static_cast<T>(v - d); }, mo, loc, [&] { return value_.fetch_sub(d, mo); });
  }
  atomic& operator=(located<T> v) {
    store(v.value, std::memory_order_seq_cst, v.loc);
    return *this;
  }

 private:
  /// What the thread is about to do, for the strategy; registers the object first.
  pending_op pending(rt::execution& ex, op kind) const {
    id_.refresh(ex, object_kind::atomic);
    return {kind, id_.id};
  }
  static constexpr atomic_order order_of(std::memory_order mo) { return detail::order_of(mo); }
  static void note_order(rt::execution& ex, std::memory_order mo) {
    if (mo != std::memory_order_seq_cst) [[unlikely]]
      ex.note_weaker_order();
  }
  template <class Update, class Native>
  T rmw(Update update, std::memory_order mo, std::source_location loc, Native native) {
    return detail::dispatch(
        [&](rt::execution& ex) {
          note_order(ex, mo);
          if (!ex.schedule_point(pending(ex, op::atomic_rmw), loc)) return value_.load(std::memory_order_relaxed);
          id_.refresh(ex, object_kind::atomic);
          T old = value_.load(std::memory_order_relaxed);
          T now = update(old);
          value_.store(now, std::memory_order_relaxed);
          ex.emit(op::atomic_rmw, id_.id, loc, detail::value_bits(now), detail::value_printable<T>, order_of(mo));
          return old;
        },
        native);
  }
  std::atomic<T> value_;
  mutable detail::sim_identity id_;
};

/// Same as std::atomic_thread_fence, plus a source location. Under the sim backend it is not a
/// scheduling point (it touches nothing another thread can see); for happens-before a release
/// fence makes the thread's later relaxed stores release what came before it, and an acquire
/// fence makes what its earlier relaxed loads read from acquired (RC11's fence rules;
/// harness/detect/race.h). A seq_cst fence is both; it adds no order of its own between threads
/// that share no atomic.
inline void atomic_thread_fence(std::memory_order mo, std::source_location loc = std::source_location::current()) {
  detail::dispatch(
      [&](rt::execution& ex) {
        if (ex.aborting()) return;
        if (mo != std::memory_order_seq_cst) ex.note_weaker_order();
        ex.emit(op::atomic_fence, no_object, loc, 0, false, detail::order_of(mo));
      },
      [&] {
#if defined(__SANITIZE_THREAD__) && defined(__GNUC__) && !defined(__clang__)
// ThreadSanitizer does not model fences (g++ warns, -Wtsan): the native run keeps the fence
// for the hardware; TSan judges the accesses around it by their own orders.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
        std::atomic_thread_fence(mo);
#if defined(__SANITIZE_THREAD__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
      });
}

}  // namespace lab
