#include "harness/detect/livelock.h"

#include <fmt/format.h>

#include <algorithm>

namespace lab {

void livelock_detector::begin_execution(bool) {
  for (std::uint32_t t = 0; t < threads_used_; ++t) active_[t] = {};
  threads_used_ = 0;
  last_progress_ = 0;
  busy_until_ = 0;
  reported_ = false;
}

void livelock_detector::on_event(const event& e) {
  if (window_ == 0 || reported_) return;
  if (e.kind == op::sleep || e.kind == op::work) {
    busy_until_ = std::max(busy_until_, e.time + e.arg);
    return;
  }
  if ((progress_ops & mask_of(e.kind)) || e.time < busy_until_) {
    last_progress_ = e.step;
    for (std::uint32_t t = 0; t < threads_used_; ++t) active_[t] = {};
    threads_used_ = 0;
    return;
  }
  threads_used_ = std::max<std::uint32_t>(threads_used_, e.thread + 1);
  ++active_[e.thread].steps;
  active_[e.thread].last = e.loc;
  if (e.step - last_progress_ < window_) return;
  reported_ = true;
  finding f;
  f.kind = verdict::livelock;
  f.thread = e.thread;
  f.step = e.step;
  f.loc = e.loc;
  int running = 0;
  for (std::uint32_t t = 0; t < threads_used_; ++t) {
    if (active_[t].steps == 0) continue;
    ++running;
    f.notes.push_back({thread_id{t}, 0, active_[t].last,
                       fmt::format("yielded {} times without progress, last here", active_[t].steps)});
  }
  f.message = fmt::format("{} thread(s) kept running for {} steps since step {} and none made progress (no write, "
                          "store, notify, release or thread end)",
                          running, e.step - last_progress_, last_progress_);
  out_->report(std::move(f));
}

}  // namespace lab
