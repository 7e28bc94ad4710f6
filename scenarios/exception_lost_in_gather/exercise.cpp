// exception_lost_in_gather: a page loads three widgets concurrently; two of the backends are
// down. lab::gather (asyncio.gather without return_exceptions) hands the first failure to the
// page and forgets the other tasks.
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
  try {
    co_await lab::gather(a, b, c);
  } catch (const std::runtime_error&) {
    ++failures;  // only the first failure ever arrives here
  }
  co_await lab::sleep(50ms);  // the page renders; c fails meanwhile
  co_return failures;
}

}  // namespace

LAB_EXERCISE(exception_lost_in_gather) {
  lab::event_loop loop{"page"};
  int failures = loop.run(load_page());
  lab::assert_that(failures >= 1, "the page saw a failure");
}
