// spsc_ring, fixed: each index stored with release by its owner and loaded with acquire by the
// other side. The consumer's acquire of `tail` makes the slot's write visible before it reads
// the slot; the producer's acquire of `head` makes the consumer's read of a slot happen before
// the producer writes it again.
#include <array>

#include "harness/exercise.h"

LAB_EXERCISE(spsc_ring) {
  constexpr int capacity = 2, items = 3;
  std::array<lab::shared<int>, capacity> slots{lab::shared<int>{0, "slot0"}, lab::shared<int>{0, "slot1"}};
  lab::atomic<int> head{0, "head"}, tail{0, "tail"};
  lab::thread producer([&] {
    for (int i = 0; i < items; ++i) {
      const int t = tail.load(std::memory_order_relaxed);  // only the producer writes tail
      while (t - head.load(std::memory_order_acquire) == capacity) lab::this_thread::yield();  // full
      slots[t % capacity] = 100 + i;
      tail.store(t + 1, std::memory_order_release);
    }
  });
  lab::thread consumer([&] {
    for (int i = 0; i < items; ++i) {
      const int h = head.load(std::memory_order_relaxed);  // only the consumer writes head
      while (tail.load(std::memory_order_acquire) == h) lab::this_thread::yield();  // empty
      lab::assert_that(slots[h % capacity] == 100 + i, "items arrive in order, each one whole");
      head.store(h + 1, std::memory_order_release);
    }
  });
  producer.join();
  consumer.join();
}
