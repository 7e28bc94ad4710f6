// check_then_act: two withdrawals from one account, each checking the balance first. Every
// variant is a workshop file: exercise.cpp (unguarded), exercise_locked_steps.cpp (each step
// locked, not the two together) and solution.cpp (one lock around both).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void check_then_act_broken();
void check_then_act_locked_steps_broken();
void check_then_act_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_check_then_act(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"check_then_act", "broken", mode, verdict::data_race,
                 "if (balance >= amount) balance -= amount, from two threads, unguarded",
                 &exercise_bodies::check_then_act_broken});
  out.push_back({"check_then_act", "broken_locked_steps", mode, verdict::assertion_failed,
                 "the check and the act each under the lock, but not together: race-free, still overdrawn",
                 &exercise_bodies::check_then_act_locked_steps_broken});
  out.push_back({"check_then_act", "fixed", mode, verdict::clean, "one lock around the check and the act",
                 &exercise_bodies::check_then_act_fixed});
}

}  // namespace lab::scenarios
