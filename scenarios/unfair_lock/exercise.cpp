// unfair_lock: three workers append to a log in a tight loop, each entry under the log's mutex;
// a fourth thread needs the mutex once, to rotate the log. std::mutex (like lab::mutex) makes no
// promise of fairness: whoever runs first after an unlock takes it.
#include "harness/exercise.h"

LAB_EXERCISE(unfair_lock) {
  lab::mutex log_lock{"log_lock"};
  lab::atomic<int> entries{0, "entries"};
  lab::atomic<bool> rotated{false, "rotated"};
  auto worker = [&] {
    for (int i = 0; i < 40; ++i) {
      lab::lock_guard hold(log_lock);
      entries.fetch_add(1);
    }  // ...and straight back for the next entry
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
