// spsc_ring: a single-producer single-consumer ring buffer of 2 slots carrying 3 items. The
// producer writes a slot, then advances `tail`; the consumer reads `tail`, reads the slot, then
// advances `head`, which frees the slot. The indices are stored and loaded relaxed.
#include <array>

#include "harness/exercise.h"

LAB_EXERCISE(spsc_ring) {
  constexpr int capacity = 2, items = 3;
  std::array<lab::shared<int>, capacity> slots{lab::shared<int>{0, "slot0"}, lab::shared<int>{0, "slot1"}};
  lab::atomic<int> head{0, "head"}, tail{0, "tail"};
  lab::thread producer([&] {
    for (int i = 0; i < items; ++i) {
      const int t = tail.load(std::memory_order_relaxed);  // only the producer writes tail
      while (t - head.load(std::memory_order_relaxed) == capacity) lab::this_thread::yield();  // full
      slots[t % capacity] = 100 + i;
      tail.store(t + 1, std::memory_order_relaxed);
    }
  });
  lab::thread consumer([&] {
    for (int i = 0; i < items; ++i) {
      const int h = head.load(std::memory_order_relaxed);  // only the consumer writes head
      while (tail.load(std::memory_order_relaxed) == h) lab::this_thread::yield();  // empty
      lab::assert_that(slots[h % capacity] == 100 + i, "items arrive in order, each one whole");
      head.store(h + 1, std::memory_order_relaxed);
    }
  });
  producer.join();
  consumer.join();
}
