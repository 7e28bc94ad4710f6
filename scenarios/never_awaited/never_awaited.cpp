// never_awaited: a coroutine called for its effect and never awaited. Both variants are the
// workshop's files: exercise.cpp (kept, never awaited) and solution.cpp (co_await).
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void never_awaited_broken();
void never_awaited_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {

void add_never_awaited(std::vector<scenario>& out) {
  constexpr std::string_view mode = "task management errors";
  out.push_back({"never_awaited", "broken", mode, verdict::never_awaited,
                 "a coroutine is created and dropped without co_await: its body never runs", &exercise_bodies::never_awaited_broken});
  out.push_back({"never_awaited", "fixed", mode, verdict::clean, "co_await send_receipt(...)",
                 &exercise_bodies::never_awaited_fixed});
}

}  // namespace lab::scenarios
