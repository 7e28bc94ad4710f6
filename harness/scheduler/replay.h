// Replay: makes exactly the choices of a recorded schedule.
#pragma once

#include <string>

#include "harness/scheduler/strategy.h"
#include "harness/trace/schedule.h"

namespace lab {

/// Runs one execution (index `execution` of the recorded exploration) making the recorded
/// choices. When the program asks for a choice the schedule does not hold (it changed since
/// the recording, or is not deterministic), `diverged()` turns true and the lowest runnable
/// thread runs from then on.
class replay_strategy final : public strategy {
 public:
  replay_strategy(schedule s, std::uint64_t execution, std::string recorded_by);
  std::string_view name() const override { return recorded_by_; }
  bool begin_execution(std::uint64_t index) override;
  pick next_thread(const choice_point& p) override;
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override;
  void end_execution(std::uint64_t choices) override;
  bool diverged() const override { return diverged_; }
  /// The index of the recorded execution this replays (as the token names it).
  std::uint64_t execution() const { return execution_; }

 private:
  schedule schedule_;
  schedule::reader reader_;
  std::uint64_t execution_;
  std::string recorded_by_;
  bool started_ = false;
  bool diverged_ = false;
};

}  // namespace lab
