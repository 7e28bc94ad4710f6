// blocking_library_call: a coroutine calls a synchronous third-party library. Both variants are the
// workshop's files: exercise.cpp (called from the coroutine) and solution.cpp (run_in_executor).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void blocking_library_call_broken();
void blocking_library_call_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_blocking_library_call(std::vector<scenario>& out) {
  constexpr std::string_view mode = "blocking the event loop";
  out.push_back({"blocking_library_call", "broken", mode, verdict::loop_stall,
                 "a synchronous third-party call inside a coroutine blocks the loop for 250 ms", &exercise_bodies::blocking_library_call_broken});
  out.push_back({"blocking_library_call", "fixed", mode, verdict::clean,
                 "the library call runs in the executor; the coroutine awaits it", &exercise_bodies::blocking_library_call_fixed});
}

}  // namespace lab::scenarios
