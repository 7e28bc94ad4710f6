// long_task_head_of_line: the fib server. Short requests queue behind long ones on one worker.
// Both variants are the workshop's files: exercise.cpp (one worker for all) and solution.cpp (a
// pool of its own for the long requests).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void long_task_head_of_line_broken();
void long_task_head_of_line_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_long_task_head_of_line(std::vector<scenario>& out) {
  constexpr std::string_view mode = "starvation";
  out.push_back({"long_task_head_of_line", "broken", mode, verdict::starvation,
                 "long and short requests share one worker: short ones wait behind fib(32)", &exercise_bodies::long_task_head_of_line_broken});
  out.push_back({"long_task_head_of_line", "fixed", mode, verdict::clean,
                 "long requests get a pool of their own; short ones never queue behind them", &exercise_bodies::long_task_head_of_line_fixed});
}

}  // namespace lab::scenarios
