// double_checked_init: two threads both want the configuration; whoever comes first builds it,
// exactly once. Double-checked locking: a first check of `ready` without the lock, a second
// under it. `ready` is a plain bool.
#include "harness/exercise.h"

LAB_EXERCISE(double_checked_init) {
  lab::shared<int> config{0, "config"};
  lab::shared<int> builds{0, "builds"};
  lab::shared<bool> ready{false, "ready"};
  lab::mutex m{"m"};
  auto get = [&] {
    if (!ready.load()) {  // first check, without the lock
      lab::lock_guard hold(m);
      if (!ready.load()) {  // second check, under it
        builds = builds + 1;
        config = 42;
        ready = true;
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
