// seqlock: a writer updates two values under a sequence counter; a reader retries until it read
// both values between two equal, even counts. The fences decide whether "equal and even" means
// "not torn". Both variants are the workshop's files: exercise.cpp (no writer fence) and
// solution.cpp (Boehm's release fence).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void seqlock_broken();
void seqlock_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_seqlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"seqlock", "broken", mode, verdict::assertion_failed,
                 "no release fence between making the count odd and writing the data", &exercise_bodies::seqlock_broken});
  out.push_back({"seqlock", "fixed", mode, verdict::clean, "a release fence after the odd count (Boehm's seqlock)",
                 &exercise_bodies::seqlock_fixed});
}

}  // namespace lab::scenarios
