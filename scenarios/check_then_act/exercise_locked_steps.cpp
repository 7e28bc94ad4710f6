// check_then_act, the locked steps: two threads each withdraw 80 from an account holding 100. At
// most one may succeed: the balance must never go negative. Someone has already put a mutex in:
// the check is under it, and so is the act. There is no data race left.
#include "harness/exercise.h"

LAB_EXERCISE(check_then_act_locked_steps) {
  lab::shared<int> balance{100, "balance"};
  lab::mutex m{"m"};
  auto withdraw = [&](int amount) {
    bool enough;
    {
      lab::lock_guard hold(m);
      enough = balance >= amount;  // check
    }
    if (enough) {
      lab::lock_guard hold(m);
      balance = balance - amount;  // act
    }
  };
  lab::thread t1([&] { withdraw(80); });
  lab::thread t2([&] { withdraw(80); });
  t1.join();
  t2.join();
  lab::assert_that(balance >= 0, "the account is never overdrawn (balance >= 0)");
}
