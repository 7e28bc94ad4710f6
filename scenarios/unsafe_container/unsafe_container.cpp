// unsafe_container: two threads push_back into one std::vector. Both variants are the
// workshop's files: exercise.cpp (unguarded) and solution.cpp (under a mutex).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void unsafe_container_broken();
void unsafe_container_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_unsafe_container(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"unsafe_container", "broken", mode, verdict::data_race, "concurrent push_back on one std::vector",
                 &exercise_bodies::unsafe_container_broken});
  out.push_back({"unsafe_container", "fixed", mode, verdict::clean, "every push_back under a mutex",
                 &exercise_bodies::unsafe_container_fixed});
}

}  // namespace lab::scenarios
