#include "harness/detect/race.h"

#include <fmt/format.h>

#include <algorithm>

namespace lab {

void race_detector::begin_execution(bool detailed) {
  detailed_ = detailed;
  for (std::uint32_t t = 0; t < threads_used_; ++t) threads_[t].clear();
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

void race_detector::fill(access_meta& m, const event& e) const {
  m.step = e.step;
  m.loc = e.loc;
  m.nlocks = 0;
  if (!detailed_) return;
  for (object_id l : locks().of(e.thread)) {
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

void race_detector::on_read(const event& e) {
  var_state& v = vars_[e.object];
  const vector_clock& c = threads_[e.thread];
  if (v.writer != no_thread && v.writer != e.thread && !c.covers(v.writer, v.write_clock))
    race(e, v.writer, true, v.write_meta);
  std::uint32_t now = c.get(e.thread);
  for (auto& r : v.reads)
    if (r.thread == e.thread) {
      r.clock = now;
      fill(r.meta, e);
      return;
    }
  read_epoch& r = v.reads.emplace_back();
  r.thread = e.thread;
  r.clock = now;
  fill(r.meta, e);
}

void race_detector::on_write(const event& e) {
  var_state& v = vars_[e.object];
  const vector_clock& c = threads_[e.thread];
  if (v.writer != no_thread && v.writer != e.thread && !c.covers(v.writer, v.write_clock))
    race(e, v.writer, true, v.write_meta);
  for (const auto& r : v.reads)
    if (r.thread != e.thread && !c.covers(r.thread, r.clock)) race(e, r.thread, false, r.meta);
  v.writer = e.thread;
  v.write_clock = c.get(e.thread);
  fill(v.write_meta, e);
  v.reads.clear();
}

void race_detector::handle(const event& e) {
  vector_clock& c = threads_[e.thread];
  switch (e.kind) {
    case op::read: on_read(e); break;
    case op::write: on_write(e); break;
    case op::thread_spawn: {
      auto child = static_cast<thread_id>(e.arg);
      threads_used_ = std::max<std::uint32_t>(threads_used_, child + 1);
      threads_[child] = c;
      threads_[child].tick(child);
      c.tick(e.thread);
      break;
    }
    case op::thread_join: c.acquire(threads_[static_cast<thread_id>(e.arg)]); break;
    case op::lock_acquired:
      c.acquire(syncs_[e.object]);
      if (read_syncs_[e.object].size() != 0) c.acquire(read_syncs_[e.object]);  // only a shared_mutex's readers
      break;
    case op::unlock:
      c.release(syncs_[e.object]);
      c.tick(e.thread);
      break;
    case op::atomic_load:
    case op::sem_acquired:
    case op::shared_acquired: c.acquire(syncs_[e.object]); break;
    case op::sem_released:
      c.release(syncs_[e.object]);
      c.tick(e.thread);
      break;
    case op::shared_unlock:
      c.release(read_syncs_[e.object]);
      c.tick(e.thread);
      break;
    case op::atomic_store:
    case op::atomic_rmw:
      c.acquire(syncs_[e.object]);
      c.release(syncs_[e.object]);
      c.tick(e.thread);
      break;
    default: break;
  }
}

}  // namespace lab
