// blocking_call_in_loop: a coroutine that sleeps with a blocking call instead of awaiting.
#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

/// A report handler waits 300 ms for a slow backend. Broken: it calls the blocking sleep
/// (Python's time.sleep inside `async def`), so the whole loop waits with it. Fixed: it awaits
/// the loop's sleep (asyncio.sleep), and the heartbeat keeps ticking meanwhile.
template <bool Awaits>
task<int> build_report(event_loop*) {
  if constexpr (Awaits) co_await lab::sleep(300ms);
  else lab::this_thread::sleep_for(300ms);  // blocks the loop's thread
  co_return 42;
}

template <bool Awaits>
void run() {
  serve_with_heartbeat(&build_report<Awaits>, 42);
}

}  // namespace

void add_blocking_call_in_loop(std::vector<scenario>& out) {
  constexpr std::string_view mode = "blocking the event loop";
  out.push_back({"blocking_call_in_loop", "broken", mode, verdict::loop_stall,
                 "a coroutine calls a blocking sleep: the loop stops for 300 ms", &run<false>});
  out.push_back({"blocking_call_in_loop", "fixed", mode, verdict::clean,
                 "co_await lab::sleep: the task waits, the loop does not", &run<true>});
}

}  // namespace lab::scenarios
