// spsc_ring: a single-producer single-consumer ring buffer whose indices publish the slots. Both
// variants are the workshop's files: exercise.cpp (relaxed) and solution.cpp (release/acquire).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void spsc_ring_broken();
void spsc_ring_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_spsc_ring(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"spsc_ring", "broken", mode, verdict::data_race, "head and tail stored and loaded relaxed",
                 &exercise_bodies::spsc_ring_broken});
  out.push_back({"spsc_ring", "fixed", mode, verdict::clean, "indices stored with release, loaded with acquire",
                 &exercise_bodies::spsc_ring_fixed});
}

}  // namespace lab::scenarios
