// peterson: Peterson's mutual exclusion for two threads. Each raises its flag, gives the other
// the turn, and waits while the other's flag is up and the turn is the other's. The flags and
// the turn are atomics, stored with release and loaded with acquire.
#include "harness/exercise.h"

LAB_EXERCISE(peterson) {
  lab::atomic<bool> flag0{false, "flag0"}, flag1{false, "flag1"};
  lab::atomic<int> turn{0, "turn"};
  lab::atomic<int> inside{0, "inside"};  // threads in the critical section
  auto enter = [&](lab::atomic<bool>& mine, lab::atomic<bool>& theirs, int other) {
    mine.store(true, std::memory_order_release);
    turn.store(other, std::memory_order_release);
    while (theirs.load(std::memory_order_acquire) && turn.load(std::memory_order_acquire) == other)
      lab::this_thread::yield();
    lab::assert_that(inside.fetch_add(1) == 0, "one thread at a time in the critical section");
    inside.fetch_sub(1);
    mine.store(false, std::memory_order_release);
  };
  lab::thread t0([&] { enter(flag0, flag1, 1); });
  lab::thread t1([&] { enter(flag1, flag0, 0); });
  t0.join();
  t1.join();
}
