// peterson, fixed: every access seq_cst. Release/acquire orders a thread's store of its flag
// before its later stores, not before its later loads: each thread could read the other's flag
// as still down. seq_cst puts all of them in one total order, in which the later of the two
// flag stores is seen by the other thread's load.
#include "harness/exercise.h"

LAB_EXERCISE(peterson) {
  lab::atomic<bool> flag0{false, "flag0"}, flag1{false, "flag1"};
  lab::atomic<int> turn{0, "turn"};
  lab::atomic<int> inside{0, "inside"};  // threads in the critical section
  auto enter = [&](lab::atomic<bool>& mine, lab::atomic<bool>& theirs, int other) {
    mine.store(true, std::memory_order_seq_cst);
    turn.store(other, std::memory_order_seq_cst);
    while (theirs.load(std::memory_order_seq_cst) && turn.load(std::memory_order_seq_cst) == other)
      lab::this_thread::yield();
    lab::assert_that(inside.fetch_add(1) == 0, "one thread at a time in the critical section");
    inside.fetch_sub(1);
    mine.store(false, std::memory_order_seq_cst);
  };
  lab::thread t0([&] { enter(flag0, flag1, 1); });
  lab::thread t1([&] { enter(flag1, flag0, 0); });
  t0.join();
  t1.join();
}
