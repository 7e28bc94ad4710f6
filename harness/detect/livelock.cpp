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

void livelock_detector::yielded(const event& e) {
  threads_used_ = std::max<std::uint32_t>(threads_used_, e.thread + 1);
  activity& a = active_[e.thread];
  if (a.since != last_progress_) a = {last_progress_, 0, {}};
  ++a.steps;
  a.last = e.loc;
  if (e.step - last_progress_ < window_) return;
  reported_ = true;
  finding f;
  f.kind = verdict::livelock;
  f.thread = e.thread;
  f.step = e.step;
  f.loc = e.loc;
  int running = 0;
  for (std::uint32_t t = 0; t < threads_used_; ++t) {
    if (active_[t].steps == 0 || active_[t].since != last_progress_) continue;
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
