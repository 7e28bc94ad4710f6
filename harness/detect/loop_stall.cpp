#include "harness/detect/loop_stall.h"

#include <fmt/format.h>

#include <bit>

namespace lab {
namespace {
double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }
}  // namespace

void loop_stall_detector::begin_execution(bool) {
  if (touched_.empty() && !pending_ && !reported_) return;  // no event loop ran: nothing to forget
  touched_.for_each([&](thread_id t) { steps_[t].active = false; });
  touched_.clear();
  pending_ = reported_ = false;
  stall_ = {};
  loop_thread_ = no_thread;
}

void loop_stall_detector::flush() {
  if (!pending_) return;
  pending_ = false;
  reported_ = true;
  out_->report(std::move(stall_));
}

void loop_stall_detector::on_event(const event& e) {
  if (reported_ || threshold_ == 0) return;
  step_state& s = steps_[e.thread];
  if (e.kind == op::coro_resumed) {
    if (pending_ && e.thread == loop_thread_) {
      if (e.arg >= stall_end_) {
        flush();
        return;
      }
      std::uint64_t late = e.time - e.arg;
      stall_.notes.push_back({e.thread, e.step, e.loc,
                              fmt::format("resumed task '{}' {:.3f} ms late (it was ready at {:.3f} ms)",
                                          coroutine_name(e.loc.function_name()), ms(late), ms(e.arg))});
      if (stall_.notes.size() >= 9) {  // the blocking call and eight victims
        flush();
        return;
      }
    }
    s.active = true;
    touched_.insert(e.thread);
    s.resumed = s.last = e;
    s.culprit = {};
    s.culprit_ns = 0;
    s.awaiting.clear();
    s.culprit_in = s.last_in = nullptr;
    return;
  }
  if (!s.active) return;
  if (e.kind == op::coro_awaited) {
    s.awaiting.push_back(e);
    return;
  }
  if (e.kind == op::coro_retrieved) {
    if (!s.awaiting.empty() && s.awaiting.back().object == e.object) s.awaiting.pop_back();
    return;
  }
  // Time passes only inside blocking operations: whatever passed since the previous event of
  // interest belongs to it.
  if (std::uint64_t gap = e.time - s.last.time; gap > s.culprit_ns) {
    s.culprit_ns = gap;
    s.culprit = s.last;
    s.culprit_in = s.last_in;
  }
  s.last = e;
  s.last_in = s.awaiting.empty() ? nullptr : s.awaiting.back().loc.function_name();
  if (e.kind != op::coro_suspended) return;
  s.active = false;
  std::uint64_t held = e.time - s.resumed.time;
  if (held < threshold_ || pending_) return;
  std::string task = coroutine_name(s.resumed.loc.function_name());
  std::string where = s.culprit_in ? fmt::format("'{}', awaited in task '{}'", coroutine_name(s.culprit_in), task)
                                   : fmt::format("task '{}'", task);
  bool blamed = s.culprit.kind != op::coro_resumed && s.culprit_ns > 0;
  finding f;
  f.kind = verdict::loop_stall;
  f.thread = e.thread;
  f.step = e.step;
  f.loc = blamed ? s.culprit.loc : s.resumed.loc;
  f.message = fmt::format("a step of task '{}' held the event loop for {:.3f} ms of virtual time (steps {} to {}; "
                          "the limit is {:.3f} ms)",
                          task, ms(held), s.resumed.step, e.step, ms(threshold_));
  if (blamed)
    f.notes.push_back({e.thread, s.culprit.step, s.culprit.loc,
                       fmt::format("blocked the loop for {:.3f} ms here ({} inside {})", ms(s.culprit_ns),
                                   to_string(s.culprit.kind), where)});
  stall_ = std::move(f);
  stall_end_ = e.time;
  loop_thread_ = e.thread;
  pending_ = true;
}

}  // namespace lab
