#include "harness/explore/detector_set.h"

#include <type_traits>

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

void detector_set::on_stall(std::uint64_t blocked) {
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
