#include "harness/detect/race.h"

#include <fmt/format.h>

#include <algorithm>

namespace lab {

void race_detector::begin_execution(bool detailed) {
  detailed_ = detailed;
  for (object_id i = 0; i < nobjects_; ++i) {
    vars_[i].writer = no_thread;
    vars_[i].reads.clear();
  }
  nobjects_ = 0;
  hb_.begin_execution();
  reset_own();
  reported_ = false;
}

void race_detector::on_object(object_id id, const object_traits&) {
  hb_.on_object(id);
  if (id >= vars_.size()) vars_.resize(id + 1);
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
    default: hb_.handle(e); break;
  }
}

}  // namespace lab
