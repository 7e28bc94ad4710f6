// cpu_bound_in_loop: a coroutine computes for 400 ms on the loop's thread. Both variants are the
// workshop's files: exercise.cpp (computed inline) and solution.cpp (run_in_executor).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void cpu_bound_in_loop_broken();
void cpu_bound_in_loop_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_cpu_bound_in_loop(std::vector<scenario>& out) {
  constexpr std::string_view mode = "blocking the event loop";
  out.push_back({"cpu_bound_in_loop", "broken", mode, verdict::loop_stall,
                 "400 ms of CPU inside a coroutine: the loop serves nobody meanwhile", &exercise_bodies::cpu_bound_in_loop_broken});
  out.push_back({"cpu_bound_in_loop", "fixed", mode, verdict::clean,
                 "run_in_executor: the CPU work runs on a worker thread", &exercise_bodies::cpu_bound_in_loop_fixed});
}

}  // namespace lab::scenarios
