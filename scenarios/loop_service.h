// What the event-loop scenarios share: a service with a heartbeat, and one handler under test.
#pragma once

#include <chrono>

#include "harness/lab.h"

namespace lab::scenarios {

using namespace std::chrono_literals;

/// A heartbeat that should tick every 50 ms from `start`; it records how late each tick ran. A
/// blocked loop shows up here first: the ticks that fall inside the stall all run late.
/// (Defined in loop_service.cpp: an inline coroutine's frame type differs between translation
/// units under GCC, which LTO reports as an ODR violation.)
task<int> heartbeat(int ticks, std::chrono::nanoseconds start);

/// Runs `handler` next to a heartbeat of eight ticks (400 ms) on one event loop, as a service
/// would, and checks the handler's answer.
template <class Handler>
void serve_with_heartbeat(Handler handler, int expected) {
  lab::event_loop loop{"service"};
  int got = loop.run([](Handler h) -> task<int> {
    auto* here = co_await lab::this_loop();
    auto beat = here->spawn(heartbeat(8, lab::now()));
    int answer = co_await h(here);
    co_await beat;
    co_return answer;
  }(handler));
  lab::assert_that(got == expected, "the handler's answer");
}

}  // namespace lab::scenarios
