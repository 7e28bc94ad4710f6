// dining_philosophers: five philosophers, five forks, each takes the left fork then the right.
// Both variants are the workshop's files: exercise.cpp (left, then right) and solution.cpp (the
// lower-numbered fork first).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void dining_philosophers_broken();
void dining_philosophers_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_dining_philosophers(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"dining_philosophers", "broken", mode, verdict::deadlock,
                 "five philosophers each take the left fork, then the right", &exercise_bodies::dining_philosophers_broken});
  out.push_back({"dining_philosophers", "fixed", mode, verdict::clean, "resource hierarchy: the lower-numbered fork first",
                 &exercise_bodies::dining_philosophers_fixed});
}

}  // namespace lab::scenarios
