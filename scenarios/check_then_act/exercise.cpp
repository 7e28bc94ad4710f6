// check_then_act: two threads each withdraw 80 from an account holding 100. At most one may
// succeed: the balance must never go negative. Each checks the balance, then takes the money.
#include "harness/exercise.h"

LAB_EXERCISE(check_then_act) {
  lab::shared<int> balance{100, "balance"};
  auto withdraw = [&](int amount) {
    if (balance >= amount) balance = balance - amount;  // check, then act
  };
  lab::thread t1([&] { withdraw(80); });
  lab::thread t2([&] { withdraw(80); });
  t1.join();
  t2.join();
  lab::assert_that(balance >= 0, "the account is never overdrawn (balance >= 0)");
}
