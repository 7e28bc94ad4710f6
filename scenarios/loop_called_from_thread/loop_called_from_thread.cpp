// loop_called_from_thread: a worker thread hands its result to the event loop.
#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

/// A task starts a worker thread for a computation and polls for the result; the worker delivers
/// it by scheduling a callback on the loop. Broken: it calls loop.call_soon, which is meant for
/// the loop's own thread - it appends to the loop's callback list while the loop reads it.
/// Fixed: call_soon_threadsafe, which takes the loop's lock (and wakes it).
template <bool Threadsafe>
void run() {
  lab::event_loop loop{"app"};
  int delivered = 0;
  lab::thread worker;
  loop.run([](event_loop& lp, int& got, lab::thread& w) -> task<int> {
    w = lab::thread([&lp, &got] {
      lab::this_thread::work(20ms);  // the computation
      auto deliver = [&got] { got = 42; };
      if constexpr (Threadsafe) lp.call_soon_threadsafe(deliver);
      else lp.call_soon(deliver);  // from the wrong thread
    });
    while (got == 0) co_await lab::sleep(5ms);
    co_return got;
  }(loop, delivered, worker));
  worker.join();
  lab::assert_that(delivered == 42, "the result arrived");
}

}  // namespace

void add_loop_called_from_thread(std::vector<scenario>& out) {
  constexpr std::string_view mode = "mixing threads and an event loop";
  out.push_back({"loop_called_from_thread", "broken", mode, verdict::data_race,
                 "a worker thread calls loop.call_soon: it races with the loop on its callback list", &run<false>});
  out.push_back({"loop_called_from_thread", "fixed", mode, verdict::clean,
                 "call_soon_threadsafe: the loop's lock orders the hand-off", &run<true>});
}

}  // namespace lab::scenarios
