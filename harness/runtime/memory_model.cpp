#include "harness/runtime/memory_model.h"

#include <algorithm>
#include <limits>

namespace lab::rt {

void memory_model::begin_execution() {
  hb_.begin_execution();
  sc_view_.clear();
  std::fill(effects_.begin(), effects_.end(), 0u);
}

void memory_model::on_object(object_id id) {
  hb_.on_object(id);
  location& l = at(id);
  l.stores = 1;
  l.last_sc = 0;
  for (auto& v : l.by_thread) v.clear();
  std::fill(l.repeats.begin(), l.repeats.end(), repeat{});
  l.rmw.assign(1, false);
}

void memory_model::insert_at(location& l, std::uint32_t p) {
  for (auto& v : l.by_thread)
    for (seen& s : v)
      if (s.store >= p) ++s.store;
  for (repeat& r : l.repeats)
    if (r.store >= p) ++r.store;
  if (l.last_sc >= p) ++l.last_sc;
}

void memory_model::saw(object_id obj, thread_id t, std::uint32_t epoch, std::uint32_t store) {
  location& l = at(obj);
  if (t >= l.by_thread.size()) l.by_thread.resize(t + 1);
  auto& v = l.by_thread[t];
  if (!v.empty() && v.back().epoch == epoch) v.back().store = std::max(v.back().store, store);
  else v.push_back({epoch, store});
}

void memory_model::on_event(const event& e) {
  const thread_id t = e.thread;
  if (t >= effects_.size()) effects_.resize(t + 1);
  // The access's own epoch: before its edges (a release ticks the clock after it).
  const std::uint32_t epoch = hb_.clock(t).get(t);
  switch (e.kind) {
    case op::atomic_load: {
      location& l = at(e.object);
      const std::uint32_t s = l.stores - 1 - e.stale;
      saw(e.object, t, epoch, s);
      if (t >= l.repeats.size()) l.repeats.resize(t + 1);
      repeat& r = l.repeats[t];
      if (r.effects == effects_[t] && r.store == s) ++r.repeats;
      else r = {s, 1, effects_[t]};
      hb_.on<op::atomic_load>(e);
      return;
    }
    case op::atomic_store:
    case op::atomic_rmw: {
      location& l = at(e.object);
      const std::uint32_t s = l.stores - (e.kind == op::atomic_store ? e.stale : 0);
      if (s < l.stores) insert_at(l, s);
      ++l.stores;
      if (l.rmw.size() < l.stores - 1) l.rmw.resize(l.stores - 1, false);
      l.rmw.insert(l.rmw.begin() + s, e.kind == op::atomic_rmw);
      if (hb_.order_of(e) == atomic_order::seq_cst) l.last_sc = s;
      saw(e.object, t, epoch, s);
      ++effects_[t];
      hb_.handle(e);
      return;
    }
    case op::atomic_fence: {
      ++effects_[t];
      hb_.on<op::atomic_fence>(e);
      if (hb_.order_of(e) != atomic_order::seq_cst) return;
      // The global view: the fence sees what every earlier seq_cst fence saw, and adds what
      // its thread sees - up to the fence, not the accesses after it (its epoch before).
      vector_clock& c = hb_.clock(t);
      c.acquire(sc_view_);
      sc_view_.acquire(c);
      sc_view_.set(t, epoch);
      return;
    }
    case op::read:
    case op::yield:
    case op::sleep:
      return;
    default:
      ++effects_[t];
      hb_.handle(e);
      return;
  }
}

std::uint32_t memory_model::floor_from(const location& l, std::uint32_t u, std::uint32_t known) {
  const auto& v = l.by_thread[u];
  auto it = std::upper_bound(v.begin(), v.end(), known, [](std::uint32_t k, const seen& s) { return k < s.epoch; });
  return it == v.begin() ? 0 : std::prev(it)->store;
}

std::uint32_t memory_model::stale_window(thread_id t, object_id obj, atomic_order o) const {
  if (obj >= locs_.size()) return 0;
  const location& l = locs_[obj];
  if (l.stores <= 1) return 0;
  std::uint32_t floor = floor_of(l, t, o);
  if (t < l.repeats.size() && t < effects_.size()) {
    const repeat& r = l.repeats[t];
    if (r.effects == effects_[t] && r.repeats >= 2 && r.store + 1 < l.stores) floor = std::max(floor, r.store + 1);
  }
  return l.stores - 1 - floor;
}

std::uint32_t memory_model::store_places(thread_id t, object_id obj, atomic_order o, std::uint8_t* out) const {
  out[0] = 0;
  if (obj >= locs_.size()) return 1;
  const location& l = locs_[obj];
  if (l.stores <= 1) return 1;
  // Positions floor+1 .. stores: at position p the store goes after p-1 and before what is at
  // p now, which must not be an RMW (it read p-1).
  const std::uint32_t floor = floor_of(l, t, o);
  std::uint32_t n = 1;
  for (std::uint32_t p = l.stores - 1; p > floor; --p)
    if (!(p < l.rmw.size() && l.rmw[p])) out[n++] = static_cast<std::uint8_t>(l.stores - p);
  return n;
}

std::uint32_t memory_model::floor_of(const location& l, thread_id t, atomic_order o) const {
  const bool sc = o == atomic_order::seq_cst;
  const vector_clock& c = hb_.clock(t);
  std::uint32_t floor = sc ? l.last_sc : 0;
  for (std::uint32_t u = 0; u < l.by_thread.size(); ++u) {
    if (l.by_thread[u].empty()) continue;
    std::uint32_t known = u == t ? std::numeric_limits<std::uint32_t>::max() : c.get(u);
    if (sc) known = std::max(known, sc_view_.get(u));
    floor = std::max(floor, floor_from(l, u, known));
  }
  const std::uint32_t reach = happens_before::history;
  if (l.stores > reach) floor = std::max(floor, l.stores - reach);
  return floor;
}

}  // namespace lab::rt
