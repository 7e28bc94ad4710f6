// spsc_ring: a single-producer single-consumer ring buffer whose indices publish the slots.
#include <array>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

constexpr int capacity = 2, items = 3;

/// The producer writes a slot, then advances `tail` (store order `W`); the consumer reads
/// `tail` (load order `R`), reads the slot, then advances `head` the same way, which frees the
/// slot for the producer.
template <std::memory_order W, std::memory_order R>
void run() {
  std::array<lab::shared<int>, capacity> slots{lab::shared<int>{0, "slot0"}, lab::shared<int>{0, "slot1"}};
  lab::atomic<int> head{0, "head"}, tail{0, "tail"};
  lab::thread producer([&] {
    for (int i = 0; i < items; ++i) {
      const int t = tail.load(std::memory_order_relaxed);  // only the producer writes tail
      while (t - head.load(R) == capacity) lab::this_thread::yield();  // full
      slots[t % capacity] = 100 + i;
      tail.store(t + 1, W);
    }
  });
  lab::thread consumer([&] {
    for (int i = 0; i < items; ++i) {
      const int h = head.load(std::memory_order_relaxed);  // only the consumer writes head
      while (tail.load(R) == h) lab::this_thread::yield();  // empty
      lab::assert_that(slots[h % capacity] == 100 + i, "items arrive in order, each one whole");
      head.store(h + 1, W);
    }
  });
  producer.join();
  consumer.join();
}

}  // namespace

void add_spsc_ring(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"spsc_ring", "broken", mode, verdict::data_race, "head and tail stored and loaded relaxed",
                 &run<std::memory_order_relaxed, std::memory_order_relaxed>});
  out.push_back({"spsc_ring", "fixed", mode, verdict::clean, "indices stored with release, loaded with acquire",
                 &run<std::memory_order_release, std::memory_order_acquire>});
}

}  // namespace lab::scenarios
