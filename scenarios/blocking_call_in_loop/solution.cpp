// blocking_call_in_loop, fixed: the handler awaits the loop's sleep (asyncio.sleep), so the loop
// runs the heartbeat while the handler waits for its backend.
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

/// The service's heartbeat: eight ticks, one every 50 ms; it records how late each tick ran.
lab::task<int> heartbeat(int ticks, std::chrono::nanoseconds start) {
  auto due = start;
  for (int i = 0; i < ticks; ++i) {
    due += 50ms;
    co_await lab::sleep(due - lab::now());
    lab::record_latency("heartbeat lateness", lab::now() - due);
  }
  co_return ticks;
}

lab::task<int> build_report() {
  co_await lab::sleep(300ms);  // wait for the slow backend: the loop runs others meanwhile
  co_return 42;
}

lab::task<int> serve() {
  auto* loop = co_await lab::this_loop();
  auto beat = loop->spawn(heartbeat(8, lab::now()));
  int answer = co_await build_report();
  co_await beat;
  co_return answer;
}

}  // namespace

LAB_EXERCISE(blocking_call_in_loop) {
  lab::event_loop loop{"service"};
  int answer = loop.run(serve());
  lab::assert_that(answer == 42, "the report's answer");
}
