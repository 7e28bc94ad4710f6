// lost_wakeup: the producer notifies before the consumer waits; the consumer waits without a
// predicate and sleeps forever. Both variants are the workshop's files: exercise.cpp (broken)
// and solution.cpp (fixed).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void lost_wakeup_broken();
void lost_wakeup_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_lost_wakeup(std::vector<scenario>& out) {
  constexpr std::string_view mode = "lost wakeup";
  out.push_back({"lost_wakeup", "broken", mode, verdict::lost_wakeup,
                 "notify before wait; the wait has no predicate", &exercise_bodies::lost_wakeup_broken});
  out.push_back({"lost_wakeup", "fixed", mode, verdict::clean, "wait with a predicate on state kept under the lock",
                 &exercise_bodies::lost_wakeup_fixed});
}

}  // namespace lab::scenarios
