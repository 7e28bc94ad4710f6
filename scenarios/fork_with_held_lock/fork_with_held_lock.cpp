// fork_with_held_lock: a service forks a helper process while its heartbeat thread may be writing
// to the log under the log's lock; the helper logs too. Both variants are the workshop's files:
// exercise.cpp (fork after the thread started) and solution.cpp (fork first).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void fork_with_held_lock_broken();
void fork_with_held_lock_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_fork_with_held_lock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "process overhead and IPC cost";
  out.push_back({"fork_with_held_lock", "broken", mode, verdict::deadlock,
                 "fork while the heartbeat thread holds the log's lock: the child's first log line hangs", &exercise_bodies::fork_with_held_lock_broken});
  out.push_back({"fork_with_held_lock", "fixed", mode, verdict::clean,
                 "fork the helper at start-up, before any thread exists (a fork server)", &exercise_bodies::fork_with_held_lock_fixed});
}

}  // namespace lab::scenarios
