// cpu_bound_in_loop, fixed: the checksum runs in the loop's executor (loop.run_in_executor; in
// Python a process pool, because of the GIL) and the handler awaits it.
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

int checksum(int blocks) {
  lab::this_thread::work(std::chrono::milliseconds(blocks * 100));  // 100 ms of CPU per block
  return blocks * 7;
}

lab::task<int> handle_upload() {
  auto* loop = co_await lab::this_loop();
  co_return co_await loop->run_in_executor([] { return checksum(4); });
}

lab::task<int> serve() {
  auto* loop = co_await lab::this_loop();
  auto beat = loop->spawn(heartbeat(8, lab::now()));
  int answer = co_await handle_upload();
  co_await beat;
  co_return answer;
}

}  // namespace

LAB_EXERCISE(cpu_bound_in_loop) {
  lab::event_loop loop{"service"};
  int answer = loop.run(serve());
  lab::assert_that(answer == 28, "the upload's checksum");
}
