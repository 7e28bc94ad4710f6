// message_passing: a producer publishes a payload by setting a flag; the flag's memory order
// decides whether the consumer that sees the flag also sees the payload. Both variants are the
// workshop's files: exercise.cpp (relaxed) and solution.cpp (release/acquire).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void message_passing_broken();
void message_passing_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_message_passing(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"message_passing", "broken", mode, verdict::data_race,
                 "the flag stored and loaded with memory_order_relaxed", &exercise_bodies::message_passing_broken});
  out.push_back({"message_passing", "fixed", mode, verdict::clean,
                 "the flag stored with release and loaded with acquire", &exercise_bodies::message_passing_fixed});
}

}  // namespace lab::scenarios
