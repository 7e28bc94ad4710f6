// exception_lost_in_gather, fixed: lab::gather_outcomes (asyncio's gather(return_exceptions=True))
// retrieves every task's outcome, each failure shown as a broken widget.
#include <chrono>
#include <stdexcept>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

lab::task<int> fetch(int id, std::chrono::milliseconds latency, bool fails) {
  co_await lab::sleep(latency);
  if (fails) throw std::runtime_error("fetch failed");
  co_return id;
}

lab::task<int> load_page() {
  auto* here = co_await lab::this_loop();
  int failures = 0;
  auto a = here->spawn(fetch(1, 10ms, false));
  auto b = here->spawn(fetch(2, 20ms, true));
  auto c = here->spawn(fetch(3, 30ms, true));
  auto [ra, rb, rc] = co_await lab::gather_outcomes(a, b, c);
  for (bool ok : {ra.ok(), rb.ok(), rc.ok()}) failures += ok ? 0 : 1;  // each shown as a broken widget
  co_return failures;
}

}  // namespace

LAB_EXERCISE(exception_lost_in_gather) {
  lab::event_loop loop{"page"};
  int failures = loop.run(load_page());
  lab::assert_that(failures >= 1, "the page saw a failure");
  lab::assert_that(failures == 2, "both failures seen");
}
