// chatty_ipc: fine-grained work shipped to worker processes one item at a time. Both variants are
// the workshop's files: exercise.cpp (chunks of 1) and solution.cpp (chunks of 13).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void chatty_ipc_broken();
void chatty_ipc_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_chatty_ipc(std::vector<scenario>& out) {
  constexpr std::string_view mode = "process overhead and IPC cost";
  out.push_back({"chatty_ipc", "broken", mode, verdict::slowdown,
                 "one item per job: the IPC round trips cost more than the work (slower than inline)", &exercise_bodies::chatty_ipc_broken});
  out.push_back({"chatty_ipc", "fixed", mode, verdict::clean,
                 "chunks of 13 items: 8 round trips, faster than inline", &exercise_bodies::chatty_ipc_fixed});
}

}  // namespace lab::scenarios
