// double_checked_init, fixed: `ready` an atomic, stored with release after the build and loaded
// with acquire by the first check: a thread that sees it set also sees the configuration.
#include "harness/exercise.h"

LAB_EXERCISE(double_checked_init) {
  lab::shared<int> config{0, "config"};
  lab::shared<int> builds{0, "builds"};
  lab::atomic<bool> ready{false, "ready"};
  lab::mutex m{"m"};
  auto get = [&] {
    if (!ready.load(std::memory_order_acquire)) {  // first check, without the lock
      lab::lock_guard hold(m);
      if (!ready.load(std::memory_order_relaxed)) {  // second check, under it
        builds = builds + 1;
        config = 42;
        ready.store(true, std::memory_order_release);
      }
    }
    lab::assert_that(config == 42, "the configuration is built before it is used");
  };
  lab::thread t1(get);
  lab::thread t2(get);
  t1.join();
  t2.join();
  lab::assert_that(builds == 1, "built exactly once");
}
