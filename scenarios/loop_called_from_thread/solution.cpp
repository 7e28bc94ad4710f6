// loop_called_from_thread, fixed: call_soon_threadsafe, the one loop method meant for other
// threads: it takes the loop's lock, so the hand-off of the callback is ordered.
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

LAB_EXERCISE(loop_called_from_thread) {
  lab::event_loop loop{"app"};
  int delivered = 0;
  lab::thread worker;
  loop.run([](lab::event_loop& lp, int& got, lab::thread& w) -> lab::task<int> {
    w = lab::thread([&lp, &got] {
      lab::this_thread::work(20ms);  // the computation
      auto deliver = [&got] { got = 42; };
      lp.call_soon_threadsafe(deliver);  // takes the loop's lock, wakes the loop
    });
    while (got == 0) co_await lab::sleep(5ms);
    co_return got;
  }(loop, delivered, worker));
  worker.join();
  lab::assert_that(delivered == 42, "the result arrived");
}
