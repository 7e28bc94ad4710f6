// fire_and_forget: a background task spawned and forgotten; the loop ends before it does. Both
// variants are the workshop's files: exercise.cpp (forgotten) and solution.cpp (a task group).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void fire_and_forget_broken();
void fire_and_forget_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_fire_and_forget(std::vector<scenario>& out) {
  constexpr std::string_view mode = "task management errors";
  out.push_back({"fire_and_forget", "broken", mode, verdict::task_orphaned,
                 "background tasks spawned and forgotten: the loop ends first and cancels them", &exercise_bodies::fire_and_forget_broken});
  out.push_back({"fire_and_forget", "fixed", mode, verdict::clean, "a task group the service joins before it returns: no task outlives its parent",
                 &exercise_bodies::fire_and_forget_fixed});
}

}  // namespace lab::scenarios
