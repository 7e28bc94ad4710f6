#include "harness/scheduler/pb.h"

#include <algorithm>

namespace lab {

// ---- pb_strategy ----

pb_strategy::pb_strategy(std::uint64_t budget, std::uint64_t bound, bool spurious)
    : budget_(budget), bound_(bound), spurious_(spurious) {}

bool pb_strategy::begin_execution(std::uint64_t index) {
  if (index >= budget_ || exhausted_) return false;
  stack_.begin_execution();
  spurious_.begin_execution();
  yields_.begin_execution();
  preempts_ = 0;
  running_ = thread_id{0};
  return true;
}

pick pb_strategy::next_thread(const choice_point& p) {
  if (p.runnable.single()) {
    running_ = p.runnable.first();
    return pick_rank(p.runnable, 0);
  }
  // The candidates: the runnable threads, less a yielder while another can run (fairness).
  const thread_set candidates = yields_.allowed(p);
  const std::uint64_t n = member_count(candidates);
  // Where the running thread may go on, going on is option 0 and free; every other option is
  // a preemption, admitted only while the bound has room.
  const bool can_go_on = p.current != no_thread && !p.yielding && candidates.contains(p.current);
  std::uint64_t admitted = n;
  if (can_go_on && preempts_ >= bound_) {
    admitted = 1;
    if (n > 1) pruned_ = true;
  }
  const std::uint64_t c = n == 1 ? 0 : stack_.take(admitted);
  thread_id t;
  if (can_go_on) {
    if (c == 0) {
      t = p.current;
    } else {
      thread_set others = candidates;
      others.erase(p.current);
      t = nth_member(others, c - 1);
      ++preempts_;
    }
  } else {
    t = nth_member(candidates, c);
  }
  running_ = t;
  yields_.ran(t);
  return pick_thread(p.runnable, t);
}

std::uint64_t pb_strategy::next_value(std::uint64_t bound, choice_kind kind) {
  if (!spurious_.offered(kind, running_)) return 0;
  const std::uint64_t v = stack_.take(bound);
  spurious_.chose(kind, running_, v);
  return v;
}

void pb_strategy::end_execution(std::uint64_t) {
  if (!stack_.advance()) exhausted_ = true;
}

// ---- ipb_strategy ----

ipb_strategy::ipb_strategy(std::uint64_t budget, bool spurious)
    : budget_(budget), spurious_(spurious), inner_(std::make_unique<pb_strategy>(budget, 0, spurious)) {}

bool ipb_strategy::begin_execution(std::uint64_t index) {
  if (index >= budget_ || exhausted_) return false;
  while (inner_->exhausted()) {
    if (!inner_->pruned()) {  // the bound left nothing out: that was the whole space
      exhausted_ = true;
      return false;
    }
    ++bound_;
    inner_ = std::make_unique<pb_strategy>(budget_, bound_, spurious_);
  }
  return inner_->begin_execution(0);
}

}  // namespace lab
