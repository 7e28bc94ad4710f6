// loop_called_from_thread: a task starts a worker thread for a computation and polls for the
// result; the worker delivers it by scheduling a callback on the loop with loop.call_soon.
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
      lp.call_soon(deliver);  // from the worker thread
    });
    while (got == 0) co_await lab::sleep(5ms);
    co_return got;
  }(loop, delivered, worker));
  worker.join();
  lab::assert_that(delivered == 42, "the result arrived");
}
