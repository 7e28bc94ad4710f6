// lost_update, fixed: the read and the write of each increment under one mutex.
#include "harness/exercise.h"

LAB_EXERCISE(lost_update) {
  lab::shared<int> x{0, "x"};
  lab::mutex m{"m"};
  auto increment = [&] {
    lab::lock_guard hold(m);
    x = x + 1;
  };
  lab::thread t1(increment);
  lab::thread t2(increment);
  t1.join();
  t2.join();
  lab::assert_that(x.load() == 2, "both increments are counted (x == 2)");
}
