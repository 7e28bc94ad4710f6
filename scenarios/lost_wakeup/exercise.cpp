// lost_wakeup: the producer stores the data and notifies; the consumer waits for it. The
// consumer's wait has no predicate: it assumes the notification is still to come.
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
    cv.notify_one();  // if nobody waits yet, this notification is gone
  });
  lab::thread consumer([&] {
    lab::unique_lock lk(m);
    cv.wait(lk);  // sleeps until a notification that may already have come
  });
  producer.join();
  consumer.join();
}
