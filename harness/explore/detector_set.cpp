#include "harness/explore/detector_set.h"

#include <array>
#include <type_traits>
#include <utility>

namespace lab {
namespace {

template <class D>
constexpr bool reads_shared_locks = requires(D& d, const event& e) { d.handle(e); };
template <class D>
constexpr bool can_be_dormant = requires(const D& d) {
  { d.active() } -> std::same_as<bool>;
  D::wake_ops;
};

/// Feeds `e` (whose operation is `m`) to `d` if it declared it.
template <class D>
inline void feed(D& d, op_mask m, const event& e) {
  if (!(D::ops & m)) return;
  if constexpr (can_be_dormant<D>)
    if (!(m & D::wake_ops) && !d.active()) return;
  if constexpr (reads_shared_locks<D>) d.handle(e);
  else d.on_event(e);
}

template <class D, op O>
constexpr bool handles_inline = requires(D& d, const event& e) { d.template on<O>(e); };

/// feed() for an event known to be of operation O: a detector's inline on<O>() when it has one.
template <op O, class D>
inline void feed_op(D& d, const event& e) {
  constexpr op_mask m = mask_of(O);
  if constexpr ((D::ops & m) == 0) {
    return;
  } else {
    if constexpr (can_be_dormant<D>)
      if (!(m & D::wake_ops) && !d.active()) return;
    if constexpr (handles_inline<D, O>) d.template on<O>(e);
    else if constexpr (reads_shared_locks<D>) d.handle(e);
    else d.on_event(e);
  }
}

template <class Tuple, class F>
void each(Tuple& t, F&& f) {
  std::apply([&](auto&... d) { (f(d), ...); }, t);
}

template <class T>
using plain = std::remove_cvref_t<T>;

/// Position of T in the list `detectors`.
template <class T, class... D>
constexpr std::size_t position(std::tuple<D...>*) {
  std::size_t i = 0;
  bool seen = false;
  ((seen = seen || std::is_same_v<T, D>, i += seen ? 0 : 1), ...);
  return i;
}
template <class T>
constexpr std::size_t position_of = position<T>(static_cast<detectors*>(nullptr));

}  // namespace

// The deadlock detector's stall hook comes first (see the header).
static_assert(position_of<deadlock_detector> < position_of<loop_stall_detector>,
              "a hang takes precedence over a pending loop stall: keep deadlock_detector before loop_stall_detector");

op_mask detector_set::interest() const {
  op_mask m = lock_table::ops;
  each(detectors_, [&](const auto& d) { m |= plain<decltype(d)>::ops; });
  return m;
}

void detector_set::begin_execution(bool detailed) {
  locks_.reset();
  each(detectors_, [&](auto& d) { d.begin_execution(detailed); });
}

void detector_set::on_object(object_id id, const object_traits& traits) {
  each(detectors_, [&](auto& d) {
    if constexpr (plain<decltype(d)>::hooks.objects) d.on_object(id, traits);
  });
}

void detector_set::on_event(const event& e) {
  const op_mask m = mask_of(e.kind);
  each(detectors_, [&](auto& d) { feed(d, m, e); });
  if (m & lock_table::ops) locks_.update(e);
}

template <op O>
void detector_set::handle(event_sink& sink, const event& e) {
  auto& s = static_cast<detector_set&>(sink);
  if (e.kind != O) __builtin_unreachable();  // the table's contract: lets each detector's switch fold
  constexpr op_mask m = mask_of(O);
  each(s.detectors_, [&](auto& d) { feed_op<O>(d, e); });
  if constexpr ((lock_table::ops & m) != 0) s.locks_.template on<O>(e);
}

const event_handler* detector_set::handlers() const {
  static const std::array<event_handler, op_count> table = [this] {
    std::array<event_handler, op_count> t{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((t[I] = (interest() & mask_of(static_cast<op>(I))) ? &handle<static_cast<op>(I)> : nullptr), ...);
    }(std::make_index_sequence<op_count>{});
    return t;
  }();
  return table.data();
}

void detector_set::on_stall(const thread_set& blocked) {
  each(detectors_, [&](auto& d) {
    if constexpr (plain<decltype(d)>::hooks.stall) d.on_stall(blocked);
  });
}

void detector_set::on_complete() {
  each(detectors_, [&](auto& d) {
    if constexpr (plain<decltype(d)>::hooks.complete) d.on_complete();
  });
}

}  // namespace lab
