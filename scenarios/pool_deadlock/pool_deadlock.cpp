// pool_deadlock: a task in a saturated pool submits a subtask to the same pool and waits for it.
// Both variants are the workshop's files: exercise.cpp (blocking on the pool) and solution.cpp
// (the subtask inline).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void pool_deadlock_broken();
void pool_deadlock_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_pool_deadlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"pool_deadlock", "broken", mode, verdict::deadlock,
                 "tasks in a 2-worker pool block on subtasks queued behind them", &exercise_bodies::pool_deadlock_broken});
  out.push_back({"pool_deadlock", "fixed", mode, verdict::clean, "no blocking inside the pool: the subtask runs inline",
                 &exercise_bodies::pool_deadlock_fixed});
}

}  // namespace lab::scenarios
