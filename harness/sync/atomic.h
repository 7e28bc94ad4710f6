// lab::atomic<T>: std::atomic with every operation a scheduling point.
#pragma once

#include <array>
#include <atomic>
#include <type_traits>
#include <vector>

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
/// is a scheduling point. The order asked for is the order C++ gives (--memory-model rc11, the
/// default; harness/runtime/memory_model.h): in a program that asks for an order weaker than
/// seq_cst, a load may read a store older than the latest - which one is a choice every
/// strategy explores and the schedule records -, and happens-before follows the orders
/// (harness/trace/happens_before.h), so a payload published through a relaxed flag is a data
/// race and a stale flag is read. RMWs read the latest store; compare_exchange_weak may fail
/// spuriously (with --spurious, as a condition variable may wake). --memory-model sc treats
/// every order as seq_cst.
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
          refresh(ex);
          const std::uint32_t window = ex.stale_window(id_.id, order_of(mo));
          const auto k = static_cast<std::uint8_t>(window == 0 ? 0 : ex.choose(window + 1, choice_kind::reads_from));
          T v = stored(k);
          ex.emit(op::atomic_load, id_.id, loc, detail::value_bits(v), detail::value_printable<T>, order_of(mo), k);
          return v;
        },
        [&] { return value_.load(mo); });
  }
  void store(T v, std::memory_order mo = std::memory_order_seq_cst, std::source_location loc = std::source_location::current()) {
    detail::dispatch(
        [&](rt::execution& ex) {
          note_order(ex, mo);
          if (!ex.schedule_point(pending(ex, op::atomic_store), loc)) return;
          refresh(ex);
          std::uint8_t before = 0;  // where it goes in modification order: before the last `before` stores
          if (ex.weak_memory()) {
            std::array<std::uint8_t, history> places{};
            const std::uint32_t n = ex.store_places(id_.id, order_of(mo), places.data());
            if (n > 1) before = places[ex.choose(n, choice_kind::store_order)];
          }
          write(ex, v, before);
          ex.emit(op::atomic_store, id_.id, loc, detail::value_bits(v), detail::value_printable<T>, order_of(mo),
                  before);
        },
        [&] { value_.store(v, mo); });
  }
  T exchange(T v, std::memory_order mo = std::memory_order_seq_cst, std::source_location loc = std::source_location::current()) {
    return rmw([&](T) { return v; }, mo, loc, [&] { return value_.exchange(v, mo); });
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order mo = std::memory_order_seq_cst,
                               std::source_location loc = std::source_location::current()) {
    return detail::dispatch([&](rt::execution& ex) { return sim_cas(ex, expected, desired, mo, false, loc); },
                            [&] { return value_.compare_exchange_strong(expected, desired, mo); });
  }
  /// May fail although the value equals `expected` (spuriously): under the sim backend with
  /// --spurious, a choice the strategies explore.
  bool compare_exchange_weak(T& expected, T desired, std::memory_order mo = std::memory_order_seq_cst,
                             std::source_location loc = std::source_location::current()) {
    return detail::dispatch([&](rt::execution& ex) { return sim_cas(ex, expected, desired, mo, true, loc); },
                            [&] { return value_.compare_exchange_weak(expected, desired, mo); });
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
  static constexpr std::uint32_t history = weak_history;
  /// What the thread is about to do, for the strategy; registers the object first.
  pending_op pending(rt::execution& ex, op kind) const {
    refresh(ex);
    return {kind, id_.id};
  }
  /// Registers the object at its first use in an execution; with the weak memory model, its
  /// value then is the first of its history.
  void refresh(rt::execution& ex) const {
    if (id_.refresh(ex, object_kind::atomic) && ex.weak_memory()) {
      values_.clear();
      values_.push_back(value_.load(std::memory_order_relaxed));
    }
  }
  /// The value of the store `k` before the latest in modification order (k < stale_window + 1).
  T stored(std::uint8_t k) const {
    if (k == 0) return value_.load(std::memory_order_relaxed);
    return values_[values_.size() - 1 - k];
  }
  /// A store of `v`, placed before the last `before` stores in modification order (0: last,
  /// the atomic's value from now on).
  void write(const rt::execution& ex, T v, std::uint8_t before = 0) {
    if (before == 0) value_.store(v, std::memory_order_relaxed);
    if (!ex.weak_memory()) return;
    values_.insert(values_.end() - before, v);
    if (values_.size() > history) values_.erase(values_.begin());
  }
  static constexpr atomic_order order_of(std::memory_order mo) { return detail::order_of(mo); }
  /// A failed compare-exchange is a load: with the release part of its order dropped.
  static constexpr atomic_order failure_order(std::memory_order mo) {
    switch (mo) {
      case std::memory_order_release: return atomic_order::relaxed;
      case std::memory_order_acq_rel: return atomic_order::acquire;
      default: return detail::order_of(mo);
    }
  }
  static void note_order(rt::execution& ex, std::memory_order mo) {
    if (mo != std::memory_order_seq_cst) [[unlikely]]
      ex.note_weaker_order();
  }
  /// compare_exchange under the sim backend: it succeeds only by reading the latest store (an
  /// RMW); it fails by reading the latest store when that differs from `expected`, by reading a
  /// stale store that differs (weak memory model), or spuriously (weak, with --spurious).
  bool sim_cas(rt::execution& ex, T& expected, T desired, std::memory_order mo, bool weak, std::source_location loc) {
    note_order(ex, mo);
    if (!ex.schedule_point(pending(ex, op::atomic_rmw), loc)) return false;
    refresh(ex);
    const T cur = value_.load(std::memory_order_relaxed);
    const bool can_succeed = cur == expected;
    // The stores a failing load may read: the latest unless it equals `expected`, and the stale
    // ones that differ from it.
    std::array<std::uint8_t, history> fails{};
    std::uint32_t nfails = 0;
    if (!can_succeed) fails[nfails++] = 0;
    const std::uint32_t window = ex.stale_window(id_.id, failure_order(mo));
    for (std::uint32_t k = 1; k <= window; ++k)
      if (!(stored(static_cast<std::uint8_t>(k)) == expected)) fails[nfails++] = static_cast<std::uint8_t>(k);
    bool succeed = can_succeed;
    std::uint8_t k = 0;
    if (can_succeed && weak && ex.choose(2, choice_kind::spurious_failure) == 1) {
      succeed = false;  // reads the latest store, which equals `expected`, and fails anyway
    } else if (nfails > 0 && nfails + (can_succeed ? 1 : 0) > 1) {
      const std::uint64_t c = ex.choose(nfails + (can_succeed ? 1 : 0), choice_kind::reads_from);
      if (can_succeed && c == 0) {
        succeed = true;
      } else {
        succeed = false;
        k = fails[can_succeed ? c - 1 : c];
      }
    }
    if (succeed) {
      write(ex, desired);
      ex.emit(op::atomic_rmw, id_.id, loc, detail::value_bits(desired), detail::value_printable<T>, order_of(mo));
      return true;
    }
    const T seen = stored(k);
    expected = seen;
    ex.emit(op::atomic_load, id_.id, loc, detail::value_bits(seen), detail::value_printable<T>, failure_order(mo), k);
    return false;
  }
  template <class Update, class Native>
  T rmw(Update update, std::memory_order mo, std::source_location loc, Native native) {
    return detail::dispatch(
        [&](rt::execution& ex) {
          note_order(ex, mo);
          if (!ex.schedule_point(pending(ex, op::atomic_rmw), loc)) return value_.load(std::memory_order_relaxed);
          refresh(ex);
          T old = value_.load(std::memory_order_relaxed);
          T now = update(old);
          write(ex, now);
          ex.emit(op::atomic_rmw, id_.id, loc, detail::value_bits(now), detail::value_printable<T>, order_of(mo));
          return old;
        },
        native);
  }
  std::atomic<T> value_;
  mutable detail::sim_identity id_;
  /// Weak memory model only: the values of the latest stores (at most `history`), in
  /// modification order, the latest last (the first: the value at the atomic's first use in the
  /// execution).
  mutable std::vector<T> values_;
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

/// Same as std::atomic_signal_fence: it orders the calling thread's accesses only with a signal
/// handler run by that same thread, so under the sim backend (no signal handlers) it orders
/// nothing between threads - no event, no scheduling point; natively the compiler barrier.
inline void atomic_signal_fence(std::memory_order mo) noexcept { std::atomic_signal_fence(mo); }

}  // namespace lab
