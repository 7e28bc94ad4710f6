#include "harness/detect/starvation.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace lab {

void starvation_detector::begin_execution(bool detailed) {
  detailed_ = detailed;
  for (std::uint32_t t = 0; t < threads_used_; ++t) {
    want& w = wants_[t];
    w.active = false;
    if (!w.at_start.empty()) w.at_start.clear();
    if (!w.rivals.empty()) w.rivals.clear();
  }
  tasks_.clear();
  running_.clear();
  holders_.clear();
  own_limits_.clear();
  threads_used_ = 0;
  waiting_ = 0;
  earliest_ = 0;
  min_limit_ = limits_.wait_ns;
  reported_ = false;
}

void starvation_detector::start(want& w, const event& e, wait_info::on what, bool spinning) {
  if (!w.active) ++waiting_;
  if (waiting_ == 1) earliest_ = e.time;
  w.active = true;
  w.spinning = spinning;
  w.held_at_start = true;  // it blocked, or its try failed: someone held it
  w.object = e.object;
  w.task = no_object;
  w.waiter = e.thread;
  w.what = what;
  w.since_step = e.step;
  w.since_time = e.time;
  w.loc = e.loc;
  w.passed_over = 0;
  w.overtook.clear();
  w.limit_ns = limit_for(e.object);
  min_limit_ = std::min(min_limit_, w.limit_ns);
  w.at_start.clear();
  w.rivals.clear();
  if (!detailed_) return;
  for (const holder& h : holders_)
    if (h.object == e.object && h.thread != e.thread)
      w.at_start.push_back({h.thread, h.step, h.loc, "took it last before the wait began"});
}

void starvation_detector::end(want& w) {
  w.active = false;
  --waiting_;
}

std::uint64_t starvation_detector::limit_for(object_id object) const {
  if (limits_.wait_ns == 0) return 0;
  for (const own_limit& l : own_limits_)
    if (l.object == object) return std::min(l.ns, limits_.wait_ns);
  return limits_.wait_ns;
}

starvation_detector::want* starvation_detector::task_want(object_id key) {
  for (want& w : tasks_)
    if (w.task == key) return &w;
  return nullptr;
}

void starvation_detector::passed_over(want& w, const event& e, std::source_location rival_loc) {
  ++w.passed_over;
  if (std::find(w.overtook.begin(), w.overtook.end(), e.thread) == w.overtook.end()) w.overtook.push_back(e.thread);
  if (!detailed_) return;
  // A thread's rival is another thread; a task's rivals are the other tasks, told apart by where
  // they were submitted (the long request, the short ones).
  bool task = w.task != no_object;
  auto it = std::find_if(w.rivals.begin(), w.rivals.end(), [&](const rival& r) {
    return r.thread == e.thread && (!task || (r.last.line() == rival_loc.line() &&
                                              std::string_view(r.last.file_name()) == rival_loc.file_name()));
  });
  if (it == w.rivals.end()) it = w.rivals.insert(w.rivals.end(), rival{e.thread, 0, {}});
  ++it->count;
  it->last = rival_loc;
}

bool starvation_detector::check(const want& w, const event& now) {
  bool by_grants = limits_.grants != 0 && w.passed_over >= limits_.grants + w.overtook.size();
  bool by_time = w.limit_ns != 0 && now.time - w.since_time >= w.limit_ns &&
                 (w.held_at_start || w.passed_over > 0);
  if (!by_grants && !by_time) return false;
  report(w, now, !by_grants);
  return true;
}

void starvation_detector::update(const event& e) {
  if (reported_ || (limits_.grants == 0 && limits_.wait_ns == 0)) return;
  threads_used_ = std::max<std::uint32_t>(threads_used_, e.thread + 1);
  want& mine = wants_[e.thread];
  switch (e.kind) {
    case op::lock_blocked:
    case op::shared_blocked:
    case op::sem_blocked:
      // Woken and beaten to it again (or a spinner that now blocks): the same want.
      if (mine.active && mine.object == e.object) {
        mine.spinning = false;
        break;
      }
      start(mine, e, e.kind == op::sem_blocked ? wait_info::on::semaphore : wait_info::on::mutex, false);
      break;
    case op::try_lock_failed:
      if (!(mine.active && mine.object == e.object)) start(mine, e, wait_info::on::mutex, true);
      break;
    case op::thread_finish:
      if (mine.active) end(mine);
      break;
    case op::lock_acquired:
    case op::shared_acquired:
    case op::sem_acquired:
      if (mine.active && mine.object == e.object) {
        if (check(mine, e)) return;  // it got in at last, but too late
        end(mine);
      } else if (mine.active && mine.spinning) {
        end(mine);  // gave up spinning and did something else
      }
      if (detailed_) {
        auto it = std::find_if(holders_.begin(), holders_.end(), [&](const holder& h) { return h.object == e.object; });
        if (it == holders_.end()) it = holders_.insert(holders_.end(), holder{e.object, no_thread, 0, {}});
        *it = {e.object, e.thread, e.step, e.loc};
      }
      if (waiting_ == 0) return;
      for (std::uint32_t t = 0; t < threads_used_; ++t) {
        want& w = wants_[t];
        if (t == e.thread || !w.active || w.object != e.object) continue;
        passed_over(w, e, e.loc);
        if (check(w, e)) return;
      }
      break;
    case op::task_queued: {
      want& w = tasks_.emplace_back();
      start(w, e, wait_info::on::task, false);
      w.task = static_cast<object_id>(e.arg);
      w.held_at_start = false;  // the workers are the resource: held if one runs a task now
      for (const running_task& r : running_) {
        if (r.pool != e.object) continue;
        w.held_at_start = true;
        if (detailed_) w.at_start.push_back({r.worker, r.step, r.submitted_at, "was running the task submitted here"});
      }
      break;
    }
    case op::task_started: {
      auto key = static_cast<object_id>(e.arg);
      // tasks_ is in queue order: a task started ahead of tasks queued before it passes them
      // over; one started in its turn (FIFO) passes over nobody.
      std::size_t ahead_of = 0;
      if (want* w = task_want(key)) {
        if (check(*w, e)) return;
        end(*w);
        ahead_of = static_cast<std::size_t>(w - tasks_.data());
        tasks_.erase(tasks_.begin() + static_cast<std::ptrdiff_t>(ahead_of));
      }
      running_.push_back({e.object, key, e.thread, e.step, e.loc});
      for (std::size_t i = 0; i < ahead_of; ++i) {
        want& w = tasks_[i];
        if (w.object != e.object) continue;
        passed_over(w, e, e.loc);
        if (check(w, e)) return;
      }
      break;
    }
    case op::task_done:
      std::erase_if(running_, [&](const running_task& r) { return r.key == e.arg; });
      return;
    default: return;
  }
  // The time criterion, for every want: only once the clock has moved far enough past the
  // oldest wait (`earliest_` may be stale-low after a want ended: then the scan refreshes it).
  if (waiting_ == 0 || limits_.wait_ns == 0 || e.time - earliest_ < min_limit_) return;
  std::uint64_t earliest = ~std::uint64_t{0}, min_limit = limits_.wait_ns;
  for (std::uint32_t t = 0; t < threads_used_; ++t) {
    if (!wants_[t].active) continue;
    if (check(wants_[t], e)) return;
    earliest = std::min(earliest, wants_[t].since_time);
    min_limit = std::min(min_limit, wants_[t].limit_ns);
  }
  for (const want& w : tasks_) {
    if (check(w, e)) return;
    earliest = std::min(earliest, w.since_time);
  }
  earliest_ = earliest;
  min_limit_ = min_limit;
}

void starvation_detector::report(const want& w, const event& now, bool by_time) {
  reported_ = true;
  bool task = w.task != no_object;
  finding f;
  f.kind = verdict::starvation;
  f.thread = w.waiter;
  f.step = now.step;
  f.loc = w.loc;
  std::string who = task ? fmt::format("a task submitted by {}", w.waiter)
                         : fmt::format("{}{}", w.waiter, w.spinning ? " (spinning on try_lock)" : "");
  double waited_ms = static_cast<double>(now.time - w.since_time) / 1e6;
  std::uint32_t steps = now.step - w.since_step;
  if (!by_time)
    f.message = fmt::format("{} was passed over {} times by {} rival(s): it has waited {} steps ({:.3f} ms of virtual "
                            "time) since step {}",
                            who, w.passed_over, w.overtook.size(), steps, waited_ms, w.since_step);
  else if (task)
    f.message = fmt::format("{} has waited {:.3f} ms of virtual time ({} steps) in the queue since step {}, while the "
                            "workers were busy with other tasks ({} started meanwhile)",
                            who, waited_ms, steps, w.since_step, w.passed_over);
  else
    f.message = fmt::format("{} has waited {:.3f} ms of virtual time ({} steps) since step {}, while others held it "
                            "({} acquisitions by others meanwhile; the limit for this wait is {:.3f} ms)",
                            who, waited_ms, steps, w.since_step, w.passed_over,
                            static_cast<double>(w.limit_ns) / 1e6);
  wait_info wi{w.waiter, w.what, w.object, no_thread, w.since_step, w.loc, {}, task};
  if (!w.at_start.empty()) {
    wi.holder = w.at_start.front().thread;
    wi.held_at = w.at_start.front().loc;
  }
  f.waits.push_back(wi);
  f.notes = w.at_start;
  for (const rival& r : w.rivals)
    f.notes.push_back({r.thread, 0, r.last,
                       task ? fmt::format("ran {} other task(s) submitted here meanwhile", r.count)
                            : fmt::format("got it {} times meanwhile, last here", r.count)});
  out_->report(std::move(f));
}

}  // namespace lab
