// loop_called_from_thread: a worker thread hands its result to the event loop. Both variants are
// the workshop's files: exercise.cpp (call_soon) and solution.cpp (call_soon_threadsafe).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void loop_called_from_thread_broken();
void loop_called_from_thread_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_loop_called_from_thread(std::vector<scenario>& out) {
  constexpr std::string_view mode = "mixing threads and an event loop";
  out.push_back({"loop_called_from_thread", "broken", mode, verdict::data_race,
                 "a worker thread calls loop.call_soon: it races with the loop on its callback list",
                 &exercise_bodies::loop_called_from_thread_broken});
  out.push_back({"loop_called_from_thread", "fixed", mode, verdict::clean,
                 "call_soon_threadsafe: the loop's lock orders the hand-off", &exercise_bodies::loop_called_from_thread_fixed});
}

}  // namespace lab::scenarios
