// PCT: probabilistic concurrency testing with priority change points.
//
// Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized Scheduler with Probabilistic
// Guarantees of Finding Bugs", ASPLOS 2010. With n threads, k steps and bug depth d, one
// execution finds a given depth-d bug with probability at least 1/(n k^(d-1)).
#pragma once

#include <array>
#include <vector>

#include "harness/scheduler/strategy.h"

namespace lab {

/// Each thread gets a random priority when first seen; the highest-priority runnable thread
/// runs. At d-1 change points, drawn uniformly from [1, k], the running thread's priority drops
/// below every initial priority. k is the longest execution seen so far (at least 16).
/// Deviation from the paper, as in Shuttle: a thread that yields drops to the lowest priority,
/// so spin loops that yield do not run forever.
class pct_strategy final : public strategy {
 public:
  pct_strategy(std::uint64_t seed, std::uint64_t executions, std::uint64_t depth, double spurious);
  std::string_view name() const override { return "pct"; }
  bool begin_execution(std::uint64_t index) override;
  pick next_thread(const choice_point& p) override;
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override;
  void end_execution(std::uint64_t choices) override;

 private:
  std::int64_t priority_of(thread_id t);

  std::uint64_t seed_;
  std::uint64_t executions_;
  std::uint64_t depth_;
  std::uint64_t spurious_threshold_;
  std::uint64_t max_steps_seen_ = 16;
  splitmix64 rng_{0};
  // Invariants within an execution: priorities_[t] is 0 until thread t is first seen, then
  // distinct; change-point priorities (<= 0 minus their rank) are below every initial one (> 0).
  std::array<std::int64_t, max_threads> priorities_{};
  std::uint32_t seen_ = 0;  ///< priorities_ is 0 from here on
  std::vector<std::uint64_t> change_points_;  ///< sorted steps at which a priority drops
  std::size_t next_change_ = 0;
  std::uint64_t step_ = 0;
  std::int64_t lowest_ = 0;  ///< the lowest priority handed out so far
};

}  // namespace lab
