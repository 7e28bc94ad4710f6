// lost_update: two threads each add 1 to a shared counter; afterwards it must be 2.
// `x = x + 1` is a read and a write: nothing orders one thread's pair against the other's.
#include "harness/exercise.h"

LAB_EXERCISE(lost_update) {
  lab::shared<int> x{0, "x"};
  auto increment = [&] { x = x + 1; };
  lab::thread t1(increment);
  lab::thread t2(increment);
  t1.join();
  t2.join();
  lab::assert_that(x.load() == 2, "both increments are counted (x == 2)");
}
