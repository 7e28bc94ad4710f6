#include "scenarios/loop_service.h"

namespace lab::scenarios {

task<int> heartbeat(int ticks, std::chrono::nanoseconds start) {
  auto due = start;
  for (int i = 0; i < ticks; ++i) {
    due += 50ms;
    co_await lab::sleep(due - lab::now());
    lab::record_latency("heartbeat lateness", lab::now() - due);
  }
  co_return ticks;
}

}  // namespace lab::scenarios
