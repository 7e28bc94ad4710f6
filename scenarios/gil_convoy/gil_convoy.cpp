// gil_convoy: an I/O thread's latency behind a CPU-bound thread, quantized by the switch interval.
// Both variants are the workshop's files: exercise.cpp (Python code holding the GIL) and
// solution.cpp (native code that releases it).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void gil_convoy_broken();
void gil_convoy_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_gil_convoy(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the GIL: no parallel speed-up, convoy effect";
  out.push_back({"gil_convoy", "broken", mode, verdict::starvation,
                 "an I/O thread waits a switch interval for the GIL after every recv", &exercise_bodies::gil_convoy_broken});
  out.push_back({"gil_convoy", "fixed", mode, verdict::clean,
                 "the CPU work releases the GIL (a C extension, or a process)", &exercise_bodies::gil_convoy_fixed});
}

}  // namespace lab::scenarios
