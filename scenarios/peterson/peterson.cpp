// peterson: Peterson's mutual exclusion for two threads, on atomics whose order decides whether
// it excludes anything. Both variants are the workshop's files: exercise.cpp (release/acquire)
// and solution.cpp (seq_cst).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void peterson_broken();
void peterson_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_peterson(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"peterson", "broken", mode, verdict::assertion_failed,
                 "flags and turn stored with release, loaded with acquire", &exercise_bodies::peterson_broken});
  out.push_back({"peterson", "fixed", mode, verdict::clean, "every access seq_cst", &exercise_bodies::peterson_fixed});
}

}  // namespace lab::scenarios
