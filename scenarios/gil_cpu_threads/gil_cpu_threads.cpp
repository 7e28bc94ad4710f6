// gil_cpu_threads: CPU-bound Python threads under the GIL: concurrency without parallelism. Both
// variants are the workshop's files: exercise.cpp (threads) and solution.cpp (a process pool).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void gil_cpu_threads_broken();
void gil_cpu_threads_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_gil_cpu_threads(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the GIL: no parallel speed-up, convoy effect";
  out.push_back({"gil_cpu_threads", "broken", mode, verdict::starvation,
                 "CPU-bound threads share one GIL: 4 threads take 4x as long as one (no speed-up)",
                 &exercise_bodies::gil_cpu_threads_broken});
  out.push_back({"gil_cpu_threads", "fixed", mode, verdict::clean, "a process pool, a GIL per worker: 4 workers take as long as one",
                 &exercise_bodies::gil_cpu_threads_fixed});
}

}  // namespace lab::scenarios
