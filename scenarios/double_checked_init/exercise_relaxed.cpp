// double_checked_init, the relaxed flag: two threads both want the configuration; whoever comes
// first builds it, exactly once. Double-checked locking: a first check of `ready` without the
// lock, a second under it. `ready` is already an atomic - so there is no data race on the flag -
// but its loads and stores are memory_order_relaxed.
#include <atomic>

#include "harness/exercise.h"

LAB_EXERCISE(double_checked_init_relaxed) {
  lab::shared<int> config{0, "config"};
  lab::shared<int> builds{0, "builds"};
  lab::atomic<bool> ready{false, "ready"};
  lab::mutex m{"m"};
  auto get = [&] {
    if (!ready.load(std::memory_order_relaxed)) {  // first check, without the lock
      lab::lock_guard hold(m);
      if (!ready.load(std::memory_order_relaxed)) {  // second check, under it
        builds = builds + 1;
        config = 42;
        ready.store(true, std::memory_order_relaxed);
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
