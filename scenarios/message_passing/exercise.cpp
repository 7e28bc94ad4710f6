// message_passing: the producer writes a payload, then sets a flag; the consumer waits for the
// flag, then reads the payload. The flag is an atomic, stored and loaded relaxed.
#include "harness/exercise.h"

LAB_EXERCISE(message_passing) {
  lab::shared<int> payload{0, "payload"};
  lab::atomic<bool> ready{false, "ready"};
  lab::thread producer([&] {
    payload = 42;
    ready.store(true, std::memory_order_relaxed);
  });
  lab::thread consumer([&] {
    while (!ready.load(std::memory_order_relaxed)) lab::this_thread::yield();
    lab::assert_that(payload == 42, "the consumer sees the payload the flag announced");
  });
  producer.join();
  consumer.join();
}
