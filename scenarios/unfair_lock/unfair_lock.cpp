// unfair_lock: busy threads re-lock a mutex the moment they release it; one thread that needs it
// once never gets in. Both variants are the workshop's files: exercise.cpp (lab::mutex) and
// solution.cpp (lab::fifo_mutex).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void unfair_lock_broken();
void unfair_lock_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_unfair_lock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "starvation";
  out.push_back({"unfair_lock", "broken", mode, verdict::starvation,
                 "workers re-lock at once; the rotator is passed over again and again", &exercise_bodies::unfair_lock_broken,
                 "pct", "random gives the woken rotator an even chance at every unlock: it is fair by construction"});
  out.push_back({"unfair_lock", "fixed", mode, verdict::clean, "lab::fifo_mutex hands the lock to the longest waiter",
                 &exercise_bodies::unfair_lock_fixed});
}

}  // namespace lab::scenarios
