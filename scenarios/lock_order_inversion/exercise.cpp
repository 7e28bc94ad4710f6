// lock_order_inversion: two transfers run at once, a->b and b->a. Each locks the account it
// takes the money from, then the account it pays into.
#include "harness/exercise.h"

namespace {

struct account {
  account(int initial, const char* lock_name, const char* balance_name) : m(lock_name), balance(initial, balance_name) {}
  lab::mutex m;
  lab::shared<int> balance;
};

void transfer(account& from, account& to, int amount) {
  lab::lock_guard first(from.m);  // T1 takes a.m, T2 takes b.m ...
  lab::lock_guard second(to.m);   // ... and each waits for the other's
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
