// blocking_call_in_loop: a coroutine that waits with a blocking call instead of awaiting. Both
// variants are the workshop's files: exercise.cpp (the blocking sleep) and solution.cpp (the loop's
// sleep).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void blocking_call_in_loop_broken();
void blocking_call_in_loop_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_blocking_call_in_loop(std::vector<scenario>& out) {
  constexpr std::string_view mode = "blocking the event loop";
  out.push_back({"blocking_call_in_loop", "broken", mode, verdict::loop_stall,
                 "a coroutine calls a blocking sleep: the loop stops for 300 ms", &exercise_bodies::blocking_call_in_loop_broken});
  out.push_back({"blocking_call_in_loop", "fixed", mode, verdict::clean,
                 "co_await lab::sleep: the task waits, the loop does not", &exercise_bodies::blocking_call_in_loop_fixed});
}

}  // namespace lab::scenarios
