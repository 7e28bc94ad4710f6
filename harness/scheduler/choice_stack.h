// What the exhaustive strategies share: a depth-first walk over choice sequences (pb, dfs) and
// the rule for spurious wake-ups and failures (pb, dfs, dpor).
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

}  // namespace lab
