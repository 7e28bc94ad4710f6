// lost_wakeup, fixed: the consumer waits with a predicate on the state the producer sets under
// the lock, so a notification that came first is not needed, and a spurious one is harmless.
#include "harness/exercise.h"

LAB_EXERCISE(lost_wakeup) {
  lab::mutex m{"m"};
  lab::condition_variable cv{"cv"};
  lab::shared<bool> ready{false, "ready"};
  lab::shared<int> data{0, "data"};
  lab::thread producer([&] {
    {
      lab::lock_guard hold(m);
      data = 42;
      ready = true;
    }
    cv.notify_one();
  });
  lab::thread consumer([&] {
    lab::unique_lock lk(m);
    cv.wait(lk, [&] { return ready.load(); });  // checks the state, under the lock, every time
    lab::assert_that(data == 42, "the consumer sees the data");
  });
  producer.join();
  consumer.join();
}
