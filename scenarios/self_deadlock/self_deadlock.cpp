// self_deadlock: an event publisher calls its subscribers with its lock held; one subscriber
// subscribes again, which takes the same (non-recursive) lock. Both variants are the workshop's
// files: exercise.cpp (callbacks under the lock) and solution.cpp (a copy, called outside it).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void self_deadlock_broken();
void self_deadlock_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_self_deadlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"self_deadlock", "broken", mode, verdict::deadlock,
                 "a callback run under the publisher's lock relocks it (non-recursive)", &exercise_bodies::self_deadlock_broken});
  out.push_back({"self_deadlock", "fixed", mode, verdict::clean, "copy the subscribers under the lock, call them outside it",
                 &exercise_bodies::self_deadlock_fixed});
}

}  // namespace lab::scenarios
