// message_passing, fixed: the flag stored with release and loaded with acquire. The consumer's
// load that reads `true` synchronises with the store, so the payload written before the store
// happens-before the read after the load.
#include "harness/exercise.h"

LAB_EXERCISE(message_passing) {
  lab::shared<int> payload{0, "payload"};
  lab::atomic<bool> ready{false, "ready"};
  lab::thread producer([&] {
    payload = 42;
    ready.store(true, std::memory_order_release);
  });
  lab::thread consumer([&] {
    while (!ready.load(std::memory_order_acquire)) lab::this_thread::yield();
    lab::assert_that(payload == 42, "the consumer sees the payload the flag announced");
  });
  producer.join();
  consumer.join();
}
