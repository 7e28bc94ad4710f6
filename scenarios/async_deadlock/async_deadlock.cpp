// async_deadlock: two tasks await each other's results. Both variants are the workshop's files:
// exercise.cpp (a cycle of awaits) and solution.cpp (a chain).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void async_deadlock_broken();
void async_deadlock_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_async_deadlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"async_deadlock", "broken", mode, verdict::deadlock,
                 "the config loader awaits the cache, the cache awaits the config", &exercise_bodies::async_deadlock_broken});
  out.push_back({"async_deadlock", "fixed", mode, verdict::clean, "the config loads on its own; only the cache awaits",
                 &exercise_bodies::async_deadlock_fixed});
}

}  // namespace lab::scenarios
