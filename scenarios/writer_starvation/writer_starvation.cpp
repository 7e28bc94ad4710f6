// writer_starvation: readers keep a reader-preferring rwlock busy; a writer never gets in. Both
// variants are the workshop's files: exercise.cpp (reader-preferring) and solution.cpp (fair).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void writer_starvation_broken();
void writer_starvation_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_writer_starvation(std::vector<scenario>& out) {
  constexpr std::string_view mode = "starvation";
  out.push_back({"writer_starvation", "broken", mode, verdict::starvation,
                 "three readers loop on a reader-preferring rwlock; the writer waits",
                 &exercise_bodies::writer_starvation_broken});
  out.push_back({"writer_starvation", "fixed", mode, verdict::clean,
                 "a task-fair rwlock: readers that come after the writer queue behind it",
                 &exercise_bodies::writer_starvation_fixed});
}

}  // namespace lab::scenarios
