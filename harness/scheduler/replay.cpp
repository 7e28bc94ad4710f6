#include "harness/scheduler/replay.h"

namespace lab {

replay_strategy::replay_strategy(schedule s, std::uint64_t execution, std::string recorded_by)
    : schedule_(std::move(s)), reader_(schedule_), execution_(execution), recorded_by_(std::move(recorded_by)) {}

bool replay_strategy::begin_execution(std::uint64_t) {
  // Exactly one execution, whatever index the explorer numbers it with.
  if (started_) return false;
  started_ = true;
  reader_ = schedule::reader(schedule_);
  return true;
}

pick replay_strategy::next_thread(const choice_point& p) {
  auto v = diverged_ ? std::nullopt : reader_.next(member_count(p.runnable));
  if (!v) {
    diverged_ = true;
    return pick_rank(p.runnable, 0);
  }
  return pick_rank(p.runnable, *v);
}

std::uint64_t replay_strategy::next_value(std::uint64_t bound, choice_kind) {
  auto v = diverged_ ? std::nullopt : reader_.next(bound);
  if (!v) {
    diverged_ = true;
    return 0;
  }
  return *v;
}

void replay_strategy::end_execution(std::uint64_t) {
  // A replay that stops before using every recorded choice diverged too.
  if (!reader_.at_end()) diverged_ = true;
}

}  // namespace lab
