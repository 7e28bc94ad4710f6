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

thread_id replay_strategy::next_thread(thread_set runnable, thread_id, bool) {
  auto v = diverged_ ? std::nullopt : reader_.next(member_count(runnable));
  if (!v) {
    diverged_ = true;
    return nth_member(runnable, 0);
  }
  return nth_member(runnable, *v);
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
