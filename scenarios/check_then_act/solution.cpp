// check_then_act, fixed: one lock held across the check and the act.
#include "harness/exercise.h"

LAB_EXERCISE(check_then_act) {
  lab::shared<int> balance{100, "balance"};
  lab::mutex m{"m"};
  auto withdraw = [&](int amount) {
    lab::lock_guard hold(m);
    if (balance >= amount) balance = balance - amount;
  };
  lab::thread t1([&] { withdraw(80); });
  lab::thread t2([&] { withdraw(80); });
  t1.join();
  t2.join();
  lab::assert_that(balance >= 0, "the account is never overdrawn (balance >= 0)");
}
