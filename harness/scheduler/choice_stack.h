// What the exhaustive strategies share: a depth-first walk over choice sequences (pb, dfs), the
// rule for spurious wake-ups and failures (pb, dfs, dpor) and the fairness rule for yields
// (pb, dfs, dpor).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "harness/core/thread_set.h"
#include "harness/scheduler/strategy.h"

namespace lab {

/// The choices of the current execution, walked depth first: each execution takes the next
/// sequence in lexicographic order, until none is left. A program that asks for a different
/// number of options at a point than last time (not deterministic) keeps going from there.
class choice_stack {
 public:
  void begin_execution() { depth_ = 0; }
  /// The choice at the next point, among `options` (>= 1).
  std::uint64_t take(std::uint64_t options) {
    if (depth_ == stack_.size()) stack_.push_back({0, options});
    level& l = stack_[depth_++];
    if (l.options != options) l = {std::min(l.choice, options - 1), options};
    return l.choice;
  }
  /// After an execution: moves to the next sequence. False when every one was taken.
  bool advance() {
    stack_.resize(depth_);
    while (!stack_.empty() && stack_.back().choice + 1 >= stack_.back().options) stack_.pop_back();
    if (stack_.empty()) return false;
    ++stack_.back().choice;
    return true;
  }

 private:
  struct level {
    std::uint64_t choice, options;
  };
  std::vector<level> stack_;
  std::size_t depth_ = 0;
};

/// Spurious wake-ups and failures in an exhaustive search: offered only with --spurious, and
/// once per thread and execution (else a waiting loop would have unboundedly many executions).
class spurious_rule {
 public:
  explicit spurious_rule(bool on) : on_(on) {}
  void begin_execution() { used_.clear(); }
  /// Whether a choice of `kind` by thread `t` is offered at all (a spurious one may not be).
  bool offered(choice_kind kind, thread_id t) const { return !is_spurious(kind) || (on_ && !used_.contains(t)); }
  /// Thread `t` chose `value` for a choice of `kind`.
  void chose(choice_kind kind, thread_id t, std::uint64_t value) {
    if (is_spurious(kind) && value == 1) used_.insert(t);
  }

 private:
  bool on_;
  thread_set used_;  ///< threads that had their spurious wake-up or failure in this execution
};

/// Fairness for threads that yield, after CHESS (Musuvathi, Qadeer, "Fair stateless model
/// checking", PLDI 2008): a thread that yields ranks below every other thread enabled at that
/// moment until each of them has run; a thread may run only when it ranks below no enabled
/// thread. Without it a spin loop with a yield has infinite executions (two
/// spinners taking turns while the thread they wait for never runs) and an exhaustive search
/// reports a livelock the program does not have. The constraints are acyclic (a thread's own
/// are dropped from everyone's when it runs, and it yields only after running), so some thread
/// may always run. Cost: O(threads) words per point.
class yield_rule {
 public:
  /// `on`: false lets every runnable thread run (no fairness: the oracles that compare
  /// reductions on programs whose spin loops are bounded).
  explicit yield_rule(bool on = true) : on_(on) {}
  void begin_execution() { below_.clear(); }
  /// The threads of `p.runnable` that may run at `p` (never empty when `p.runnable` is not).
  /// Call it at every point the strategy is asked at, before `ran`.
  thread_set allowed(const choice_point& p) {
    if (!on_) return p.runnable;
    if (p.yielding && p.current != no_thread && p.runnable.contains(p.current) && !p.runnable.single()) {
      thread_set others = p.runnable;
      others.erase(p.current);
      at(p.current) = others;
    }
    thread_set out;
    p.runnable.for_each([&](thread_id t) {
      if (t.value >= below_.size()) {
        out.insert(t);
        return;
      }
      const thread_set& b = below_[t.value];
      if (b.empty() || thread_set::minus(b, thread_set::minus(b, p.runnable)).empty()) out.insert(t);
    });
    return out.empty() ? p.runnable : out;
  }
  /// Thread `t` was picked to run.
  void ran(thread_id t) {
    for (thread_set& b : below_)
      if (!b.empty()) b.erase(t);
  }

 private:
  thread_set& at(thread_id t) {
    if (t.value >= below_.size()) below_.resize(t.value + 1);
    return below_[t.value];
  }
  bool on_;
  std::vector<thread_set> below_;  ///< below_[t]: the threads t waits for after its last yield
};

}  // namespace lab
