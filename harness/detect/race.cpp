#include "harness/detect/race.h"

#include <fmt/format.h>

#include <algorithm>

namespace lab {

void race_detector::begin_execution(bool detailed) {
  detailed_ = detailed;
  for (std::uint32_t t = 0; t < threads_used_; ++t) threads_[t].clear();
  for (std::uint32_t t = 0; t < threads_used_ && t < fences_.size(); ++t) fences_[t] = fence_state{};
  threads_used_ = 1;
  for (object_id i = 0; i < nobjects_; ++i) {
    syncs_[i].clear();
    read_syncs_[i].clear();
    vars_[i].writer = no_thread;
    vars_[i].reads.clear();
  }
  nobjects_ = 0;
  reset_own();
  reported_ = false;
  threads_[0].set(0, 1);
}

void race_detector::on_object(object_id id, const object_traits&) {
  if (id >= syncs_.size()) {
    syncs_.resize(id + 1);
    read_syncs_.resize(id + 1);
    vars_.resize(id + 1);
  }
  nobjects_ = std::max(nobjects_, id + 1);
}

void race_detector::fill_locks(access_meta& m, thread_id t) const {
  for (object_id l : locks().of(t)) {
    if (m.nlocks == max_locks_kept) break;
    m.locks[m.nlocks++] = l;
  }
}

void race_detector::race(const event& e, thread_id prev_thread, bool prev_write, const access_meta& prev) {
  if (reported_) return;
  reported_ = true;
  finding f;
  f.kind = verdict::data_race;
  f.thread = e.thread;
  f.step = e.step;
  f.loc = e.loc;
  access_meta cur;
  fill(cur, e);
  access_info now{e.thread, e.kind == op::write, false, e.object, e.step, e.loc, {cur.locks.begin(), cur.locks.begin() + cur.nlocks}};
  access_info before{prev_thread, prev_write, false, e.object, prev.step, prev.loc, {prev.locks.begin(), prev.locks.begin() + prev.nlocks}};
  f.message = fmt::format("{} by {} is not ordered with the earlier {} by {}", now.write ? "write" : "read",
                          now.thread, before.write ? "write" : "read", before.thread);
  f.accesses = {std::move(now), std::move(before)};
  out_->report(std::move(f));
}

void race_detector::handle(const event& e) {
  switch (e.kind) {
    case op::read: on<op::read>(e); break;
    case op::write: on<op::write>(e); break;
    case op::thread_spawn: on<op::thread_spawn>(e); break;
    case op::thread_join: on<op::thread_join>(e); break;
    case op::lock_acquired: on<op::lock_acquired>(e); break;
    case op::unlock: on<op::unlock>(e); break;
    case op::atomic_load: on<op::atomic_load>(e); break;
    case op::sem_acquired: on<op::sem_acquired>(e); break;
    case op::shared_acquired: on<op::shared_acquired>(e); break;
    case op::sem_released: on<op::sem_released>(e); break;
    case op::shared_unlock: on<op::shared_unlock>(e); break;
    case op::atomic_store: on<op::atomic_store>(e); break;
    case op::atomic_rmw: on<op::atomic_rmw>(e); break;
    case op::atomic_fence: on<op::atomic_fence>(e); break;
    default: break;
  }
}

}  // namespace lab
