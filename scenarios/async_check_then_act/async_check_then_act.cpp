// async_check_then_act: a check and an act with an await between them, on one thread. Both
// variants are the workshop's files: exercise.cpp (no lock) and solution.cpp (lab::async_mutex).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void async_check_then_act_broken();
void async_check_then_act_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_async_check_then_act(std::vector<scenario>& out) {
  constexpr std::string_view mode = "races without threads: atomicity across an await";
  out.push_back({"async_check_then_act", "broken", mode, verdict::assertion_failed,
                 "two tasks check the balance, await the audit log, then withdraw: overdrawn",
                 &exercise_bodies::async_check_then_act_broken});
  out.push_back({"async_check_then_act", "fixed", mode, verdict::clean,
                 "lab::async_mutex (asyncio.Lock) around the check and the act", &exercise_bodies::async_check_then_act_fixed});
}

}  // namespace lab::scenarios
