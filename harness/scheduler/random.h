// Random walk: at every step, a runnable thread chosen uniformly at random.
#pragma once

#include "harness/scheduler/strategy.h"

namespace lab {

/// Uniform random choice among runnable threads at every step; a condition-variable wait wakes
/// spuriously with probability `spurious`. Fair with probability 1: a thread that stays
/// runnable is eventually chosen, so spin loops that yield terminate.
class random_strategy final : public strategy {
 public:
  random_strategy(std::uint64_t seed, std::uint64_t executions, double spurious);
  std::string_view name() const override { return "random"; }
  bool begin_execution(std::uint64_t index) override;
  pick next_thread(const choice_point& p) override {
    return pick_rank(p.runnable, rng_.below(member_count(p.runnable)));
  }
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override;
  bool regenerates_choices() const override { return true; }

 private:
  std::uint64_t seed_;
  std::uint64_t executions_;
  std::uint64_t spurious_threshold_;  ///< spurious wake when next() < this
  splitmix64 rng_{0};
};

}  // namespace lab
