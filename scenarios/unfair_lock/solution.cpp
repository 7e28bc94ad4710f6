// unfair_lock, fixed: lab::fifo_mutex hands the lock over to the longest waiter at each unlock
// (a ticket lock's fairness), so the rotator is served after at most one entry of each worker.
#include "harness/exercise.h"

LAB_EXERCISE(unfair_lock) {
  lab::fifo_mutex log_lock{"log_lock"};
  lab::atomic<int> entries{0, "entries"};
  lab::atomic<bool> rotated{false, "rotated"};
  auto worker = [&] {
    for (int i = 0; i < 40; ++i) {
      lab::lock_guard hold(log_lock);
      entries.fetch_add(1);
    }
  };
  lab::thread w1(worker), w2(worker), w3(worker);
  lab::thread rotator([&] {
    lab::lock_guard hold(log_lock);
    rotated.store(true);
  });
  w1.join();
  w2.join();
  w3.join();
  rotator.join();
  lab::assert_that(rotated.load(), "the log was rotated");
}
