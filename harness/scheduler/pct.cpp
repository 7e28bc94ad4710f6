#include "harness/scheduler/pct.h"

#include <algorithm>
#include <cmath>

namespace lab {

pct_strategy::pct_strategy(std::uint64_t seed, std::uint64_t executions, std::uint64_t depth, double spurious)
    : seed_(seed),
      executions_(executions),
      depth_(std::max<std::uint64_t>(depth, 1)),
      spurious_threshold_(spurious >= 1.0 ? ~std::uint64_t{0}
                                          : static_cast<std::uint64_t>(std::ldexp(spurious, 64))) {}

bool pct_strategy::begin_execution(std::uint64_t index) {
  if (index >= executions_) return false;
  rng_ = splitmix64::for_execution(seed_, index);
  std::fill_n(priorities_.begin(), seen_, 0);  // only the threads the last execution had
  seen_ = 0;
  change_points_.clear();
  for (std::uint64_t i = 1; i < depth_; ++i) change_points_.push_back(1 + rng_.below(max_steps_seen_));
  std::sort(change_points_.begin(), change_points_.end());
  next_change_ = 0;
  step_ = 0;
  lowest_ = 0;
  return true;
}

std::int64_t pct_strategy::priority_of(thread_id t) {
  // A new thread's priority is random among the existing ones, which is what inserting it at
  // a random position of the priority order amounts to.
  if (priorities_[t] == 0) {
    priorities_[t] = static_cast<std::int64_t>(rng_.next() >> 2) + 1;
    seen_ = std::max<std::uint32_t>(seen_, t + 1);
  }
  return priorities_[t];
}

pick pct_strategy::next_thread(const choice_point& p) {
  const thread_id current = p.current;
  ++step_;
  if (current != no_thread) {
    priority_of(current);
    bool change = false;
    while (next_change_ < change_points_.size() && change_points_[next_change_] <= step_) {
      ++next_change_;
      change = true;
    }
    if (change || p.yielding) priorities_[current] = --lowest_;
  }
  thread_id best = no_thread;
  std::int64_t best_priority = 0;
  p.runnable.for_each([&](thread_id t) {
    auto prio = priority_of(t);
    if (best == no_thread || prio > best_priority) {
      best = t;
      best_priority = prio;
    }
  });
  return pick_thread(p.runnable, best);
}

std::uint64_t pct_strategy::next_value(std::uint64_t bound, choice_kind kind) {
  switch (kind) {
    case choice_kind::spurious_wakeup:
    case choice_kind::spurious_failure: return rng_.next() < spurious_threshold_ ? 1 : 0;
    case choice_kind::ready_task:
    case choice_kind::reads_from:
    case choice_kind::store_order: break;
  }
  return rng_.below(bound);
}

void pct_strategy::end_execution(std::uint64_t choices) {
  max_steps_seen_ = std::max(max_steps_seen_, choices);
}

}  // namespace lab
