// Bounded search: every schedule with at most K preemptions (pb), and the iterative search
// K = 0, 1, 2 ... (ipb); and a decorator that counts the preemptions of any strategy's picks.
//
// Terms. A *preemption* is a switch away from a thread that could have gone on: at a point
// where the running thread is still runnable and did not yield, another thread is chosen. A
// switch because the running thread blocked, finished or yielded is free. Preemption bounding
// (Musuvathi, Qadeer, "Iterative context bounding for systematic testing of multithreaded
// programs", PLDI 2007) explores, depth first, every schedule whose preemptions stay within
// the bound: most concurrency bugs need only one or two (Thomson, Donaldson, Betts, "Concurrency
// testing using controlled schedulers: an empirical study", TOPC 2016 - SCTBench).
//
// What is and is not reduced. Combining a preemption bound with partial-order reduction is
// unsound as naively done (Coons, Musuvathi, McKinley, "Bounded partial-order reduction",
// OOPSLA 2013: a reduced search may leave out a schedule within the bound because its
// representative is outside it). These strategies therefore reduce nothing: they run every
// schedule within the bound, so a clean result is a proof over exactly those schedules, with
// nothing left out that the bound admits. The fairness assumption is dpor's: a thread that
// yields is not chosen again at the point it yielded at while another thread can run (so spin
// loops that yield stay finite), and a thread wakes spuriously at most once per execution.
// Cost: memory O(depth) per strategy; each bound's search re-runs the schedules of the bounds
// below it (ipb). Thread-safety: one instance per exploring OS thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "harness/scheduler/choice_stack.h"
#include "harness/scheduler/strategy.h"

namespace lab {

/// True when picking `t` at `p` is a preemption: the running thread could go on and did not yield.
inline bool preempts(const choice_point& p, thread_id t) {
  return t != p.current && !p.yielding && p.current != no_thread && p.runnable.contains(p.current);
}

/// The preemption bounding search: depth first over every schedule with at most `bound`
/// preemptions (the one that never preempts first). Deterministic. begin_execution(i) is false
/// once that space is exhausted or `budget` executions were made. pruned() says whether the
/// bound left anything out: when it did not, the whole (fair) space was explored.
class pb_strategy final : public strategy {
 public:
  pb_strategy(std::uint64_t budget, std::uint64_t bound, bool spurious);
  std::string_view name() const override { return "pb"; }
  bool begin_execution(std::uint64_t index) override;
  pick next_thread(const choice_point& p) override;
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override;
  void end_execution(std::uint64_t choices) override;
  bool observes() const override { return true; }  ///< to know which thread asks for a value
  bool exhausted() const override { return exhausted_; }
  bool pruned() const override { return pruned_; }
  std::int64_t complete_bound() const override {
    return exhausted_ ? static_cast<std::int64_t>(bound_) : -1;
  }
  /// Preemptions of the current (or last) execution.
  std::uint64_t preemptions() const { return preempts_; }

 private:
  std::uint64_t budget_, bound_;
  spurious_rule spurious_;
  yield_rule yields_;
  thread_id running_ = no_thread;
  choice_stack stack_;  ///< at a thread choice, the options are how many the bound admits there
  std::uint64_t preempts_ = 0;
  bool exhausted_ = false, pruned_ = false;
};

/// Iterative preemption bounding: pb with bound 0 to its end, then 1, 2 ... until a finding,
/// the budget, or a bound that prunes nothing (the whole space explored: exhausted, not pruned).
/// Execution indices run on across the bounds.
class ipb_strategy final : public strategy {
 public:
  ipb_strategy(std::uint64_t budget, bool spurious);
  std::string_view name() const override { return "ipb"; }
  bool begin_execution(std::uint64_t index) override;
  pick next_thread(const choice_point& p) override { return inner_->next_thread(p); }
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override { return inner_->next_value(bound, kind); }
  void end_execution(std::uint64_t choices) override { inner_->end_execution(choices); }
  bool observes() const override { return true; }
  bool exhausted() const override { return exhausted_; }
  bool pruned() const override { return !exhausted_; }
  /// The highest bound whose every schedule was explored (-1 before bound 0 ends).
  std::int64_t complete_bound() const override {
    return static_cast<std::int64_t>(bound_) - (exhausted_ || inner_->exhausted() ? 0 : 1);
  }
  /// The bound being explored now.
  std::uint64_t bound() const { return bound_; }

 private:
  std::uint64_t budget_;
  bool spurious_;
  std::uint64_t bound_ = 0;
  std::unique_ptr<pb_strategy> inner_;
  bool exhausted_ = false;
};

/// Wraps any strategy and counts the preemptions of its picks (Shuttle's MetricsScheduler
/// pattern: a cross-cutting measure as a decorator, not inside each strategy). Everything else
/// is forwarded.
class preemption_counter final : public strategy {
 public:
  explicit preemption_counter(strategy& inner) : inner_(inner) {}
  std::string_view name() const override { return inner_.name(); }
  bool begin_execution(std::uint64_t index) override {
    count_ = 0;
    return inner_.begin_execution(index);
  }
  pick next_thread(const choice_point& p) override {
    pick chosen = inner_.next_thread(p);
    if (preempts(p, chosen.thread)) ++count_;
    return chosen;
  }
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override { return inner_.next_value(bound, kind); }
  void end_execution(std::uint64_t choices) override { inner_.end_execution(choices); }
  bool diverged() const override { return inner_.diverged(); }
  bool observes() const override { return inner_.observes(); }
  void observe(const event& e, std::uint64_t key) override { inner_.observe(e, key); }
  /// Preemptions of the current (or last) execution.
  std::uint64_t count() const { return count_; }

 private:
  strategy& inner_;
  std::uint64_t count_ = 0;
};

}  // namespace lab
