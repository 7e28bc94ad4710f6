// lock_order_inversion, fixed: lab::scoped_lock (std::scoped_lock) takes both locks at once,
// with a deadlock-avoidance algorithm, whichever order they are named in.
#include "harness/exercise.h"

namespace {

struct account {
  account(int initial, const char* lock_name, const char* balance_name) : m(lock_name), balance(initial, balance_name) {}
  lab::mutex m;
  lab::shared<int> balance;
};

void transfer(account& from, account& to, int amount) {
  lab::scoped_lock both(from.m, to.m);
  from.balance = from.balance - amount;
  to.balance = to.balance + amount;
}

}  // namespace

LAB_EXERCISE(lock_order_inversion) {
  account a{100, "a.m", "a.balance"};
  account b{100, "b.m", "b.balance"};
  lab::thread t1([&] { transfer(a, b, 10); });
  lab::thread t2([&] { transfer(b, a, 20); });
  t1.join();
  t2.join();
  lab::assert_that(a.balance.load() + b.balance.load() == 200, "money is neither created nor destroyed");
}
