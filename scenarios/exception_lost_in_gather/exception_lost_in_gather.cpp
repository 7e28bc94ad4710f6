// exception_lost_in_gather: gather propagates the first exception; a sibling's is never retrieved.
#include <stdexcept>

#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

task<int> fetch(int id, std::chrono::milliseconds latency, bool fails) {
  co_await lab::sleep(latency);
  if (fails) throw std::runtime_error("fetch failed");
  co_return id;
}

/// A page loads three widgets concurrently; two of the backends are down. Broken: gather (as
/// asyncio.gather without return_exceptions) hands the first failure to the page and forgets
/// the other tasks: the second failure is never retrieved - nobody logs or handles it. Fixed:
/// lab::gather_outcomes (asyncio's gather(return_exceptions=True)) retrieves every outcome; or
/// lab::task_group (asyncio.TaskGroup), the structured version: the first failure cancels the
/// siblings at once and join() rethrows it once every child has ended.
enum class how { gather, outcomes, group };

template <how How>
task<int> load_page() {
  auto* here = co_await lab::this_loop();
  int failures = 0;
  if constexpr (How == how::group) {
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
  auto a = here->spawn(fetch(1, 10ms, false));
  auto b = here->spawn(fetch(2, 20ms, true));
  auto c = here->spawn(fetch(3, 30ms, true));
  if constexpr (How == how::outcomes) {
    auto [ra, rb, rc] = co_await lab::gather_outcomes(a, b, c);
    for (bool ok : {ra.ok(), rb.ok(), rc.ok()}) failures += ok ? 0 : 1;  // each shown as a broken widget
  } else {
    try {
      co_await lab::gather(a, b, c);
    } catch (const std::runtime_error&) {
      ++failures;  // only the first failure ever arrives here
    }
    co_await lab::sleep(50ms);  // the page renders; c fails meanwhile
  }
  co_return failures;
}

template <how How>
void run() {
  lab::event_loop loop{"page"};
  int failures = loop.run(load_page<How>());
  lab::assert_that(failures >= 1, "the page saw a failure");
  if constexpr (How == how::outcomes) lab::assert_that(failures == 2, "both failures seen");
}

}  // namespace

void add_exception_lost_in_gather(std::vector<scenario>& out) {
  constexpr std::string_view mode = "task management errors";
  out.push_back({"exception_lost_in_gather", "broken", mode, verdict::task_exception_lost,
                 "gather propagates the first failure; the second task's exception is never retrieved",
                 &run<how::gather>});
  out.push_back({"exception_lost_in_gather", "fixed", mode, verdict::clean,
                 "gather_outcomes (return_exceptions=True): every failure retrieved", &run<how::outcomes>});
  out.push_back({"exception_lost_in_gather", "fixed_task_group", mode, verdict::clean,
                 "lab::task_group: the first failure cancels the siblings, join rethrows it", &run<how::group>});
}

}  // namespace lab::scenarios
