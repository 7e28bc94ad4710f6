#include "harness/detect/starvation.h"

#include <fmt/format.h>

#include <algorithm>

namespace lab {

void starvation_detector::begin_execution(bool detailed) {
  detailed_ = detailed;
  for (thread_id t = 0; t < threads_used_; ++t) {
    wants_[t].active = false;
    wants_[t].rivals.clear();
  }
  threads_used_ = 0;
  waiting_ = 0;
  reported_ = false;
}

void starvation_detector::on_event(const event& e) {
  if (limits_.grants == 0) return;
  threads_used_ = std::max(threads_used_, e.thread + 1);
  want& mine = wants_[e.thread];
  switch (e.kind) {
    case op::lock_blocked:
    case op::shared_blocked:
    case op::sem_blocked:
      // Woken and beaten to it again: still the same want, since its first attempt.
      if (mine.active && mine.object == e.object) return;
      if (!mine.active) ++waiting_;
      mine.active = true;
      mine.object = e.object;
      mine.what = e.kind == op::sem_blocked ? wait_info::on::semaphore : wait_info::on::mutex;
      mine.since_step = e.step;
      mine.since_time = e.time;
      mine.loc = e.loc;
      mine.passed_over = 0;
      mine.rivals.clear();
      return;
    default: break;
  }
  // An acquisition: the acquirer's want is over; everyone else waiting for it is passed over.
  if (mine.active && mine.object == e.object) {
    mine.active = false;
    --waiting_;
  }
  if (waiting_ == 0 || reported_) return;
  for (thread_id t = 0; t < threads_used_; ++t) {
    want& w = wants_[t];
    if (!w.active || w.object != e.object || t == e.thread) continue;
    ++w.passed_over;
    if (detailed_) {
      auto it = std::find_if(w.rivals.begin(), w.rivals.end(), [&](const rival& r) { return r.thread == e.thread; });
      if (it == w.rivals.end()) it = w.rivals.insert(w.rivals.end(), rival{e.thread, 0, {}});
      ++it->count;
      it->last = e.loc;
    }
    if (w.passed_over >= limits_.grants && e.time - w.since_time >= limits_.min_wait_ns) {
      report(t, w, e);
      return;
    }
  }
}

void starvation_detector::report(thread_id waiter, const want& w, const event& now) {
  reported_ = true;
  finding f;
  f.kind = verdict::starvation;
  f.thread = waiter;
  f.step = now.step;
  f.loc = w.loc;
  double waited_ms = static_cast<double>(now.time - w.since_time) / 1e6;
  f.message = fmt::format("T{} has waited {} steps ({:.3f} ms of virtual time) since step {}, while others got it {} times",
                          waiter, now.step - w.since_step, waited_ms, w.since_step, w.passed_over);
  f.waits.push_back({waiter, w.what, w.object, no_thread, w.since_step, w.loc, {}});
  for (const rival& r : w.rivals)
    f.notes.push_back({r.thread, 0, r.last, fmt::format("got it {} times meanwhile, last here", r.count)});
  out_->report(std::move(f));
}

}  // namespace lab
