// message_passing: a producer publishes a payload by setting a flag; the flag's memory order
// decides whether the consumer that sees the flag also sees the payload.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

/// The producer writes the payload, then sets `ready` with order `W`; the consumer waits for
/// `ready` with order `R`, then reads the payload.
template <std::memory_order W, std::memory_order R>
void run() {
  lab::shared<int> payload{0, "payload"};
  lab::atomic<bool> ready{false, "ready"};
  lab::thread producer([&] {
    payload = 42;
    ready.store(true, W);
  });
  lab::thread consumer([&] {
    while (!ready.load(R)) lab::this_thread::yield();
    lab::assert_that(payload == 42, "the consumer sees the payload the flag announced");
  });
  producer.join();
  consumer.join();
}

}  // namespace

void add_message_passing(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"message_passing", "broken", mode, verdict::data_race,
                 "the flag stored and loaded with memory_order_relaxed",
                 &run<std::memory_order_relaxed, std::memory_order_relaxed>});
  out.push_back({"message_passing", "fixed", mode, verdict::clean,
                 "the flag stored with release and loaded with acquire",
                 &run<std::memory_order_release, std::memory_order_acquire>});
}

}  // namespace lab::scenarios
