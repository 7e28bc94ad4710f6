// exception_lost_in_gather: gather propagates the first exception; a sibling's is never retrieved.
// The broken variant and the gather_outcomes fix are exercise.cpp and solution.cpp; the task
// group is here.
#include <stdexcept>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void exception_lost_in_gather_broken();
void exception_lost_in_gather_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {
namespace {

using namespace std::chrono_literals;

task<int> fetch(int id, std::chrono::milliseconds latency, bool fails) {
  co_await lab::sleep(latency);
  if (fails) throw std::runtime_error("fetch failed");
  co_return id;
}

/// A page loads three widgets concurrently; two of the backends are down. lab::task_group
/// (asyncio.TaskGroup), the structured version: the first failure cancels the siblings at once
/// and join() rethrows it once every child has ended.
task<int> load_page_in_group() {
  auto* here = co_await lab::this_loop();
  int failures = 0;
  task_group g(*here);  // the siblings of a failed fetch are cancelled; nothing outlives it
  g.spawn(fetch(1, 10ms, false));
  g.spawn(fetch(2, 20ms, true));
  g.spawn(fetch(3, 30ms, true));
  try {
    co_await g.join();
  } catch (const std::runtime_error&) {
    ++failures;
  }
  co_return failures;
}

void in_group() {
  lab::event_loop loop{"page"};
  int failures = loop.run(load_page_in_group());
  lab::assert_that(failures >= 1, "the page saw a failure");
}

}  // namespace

void add_exception_lost_in_gather(std::vector<scenario>& out) {
  constexpr std::string_view mode = "task management errors";
  out.push_back({"exception_lost_in_gather", "broken", mode, verdict::task_exception_lost,
                 "gather propagates the first failure; the second task's exception is never retrieved",
                 &exercise_bodies::exception_lost_in_gather_broken});
  out.push_back({"exception_lost_in_gather", "fixed", mode, verdict::clean,
                 "gather_outcomes (return_exceptions=True): every failure retrieved",
                 &exercise_bodies::exception_lost_in_gather_fixed});
  out.push_back({"exception_lost_in_gather", "fixed_task_group", mode, verdict::clean,
                 "lab::task_group: the first failure cancels the siblings, join rethrows it", &in_group});
}

}  // namespace lab::scenarios
