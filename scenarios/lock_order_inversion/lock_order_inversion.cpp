// lock_order_inversion: transfers a->b and b->a, each locking "from" then "to".
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

enum class locking { from_then_to, both_at_once, global_order };

struct account {
  account(int id_, int initial, const char* lock_name, const char* balance_name)
      : id(id_), m(lock_name), balance(initial, balance_name) {}
  int id;
  lab::mutex m;
  lab::shared<int> balance;
};

void move_money(account& from, account& to, int amount) {
  from.balance = from.balance - amount;
  to.balance = to.balance + amount;
}

/// Moves `amount` from `from` to `to` holding both accounts' locks.
template <locking L>
void transfer(account& from, account& to, int amount) {
  if constexpr (L == locking::from_then_to) {
    lab::lock_guard first(from.m);  // T1 takes a.m, T2 takes b.m ...
    lab::lock_guard second(to.m);   // ... and each waits for the other's
    move_money(from, to, amount);
  } else if constexpr (L == locking::both_at_once) {
    lab::scoped_lock both(from.m, to.m);
    move_money(from, to, amount);
  } else {
    account& low = from.id < to.id ? from : to;
    account& high = from.id < to.id ? to : from;
    lab::lock_guard first(low.m);
    lab::lock_guard second(high.m);
    move_money(from, to, amount);
  }
}

template <locking L>
void run() {
  account a{1, 100, "a.m", "a.balance"};
  account b{2, 100, "b.m", "b.balance"};
  lab::thread t1([&] { transfer<L>(a, b, 10); });
  lab::thread t2([&] { transfer<L>(b, a, 20); });
  t1.join();
  t2.join();
  lab::assert_that(a.balance.load() + b.balance.load() == 200, "money is neither created nor destroyed");
}

}  // namespace

void add_lock_order_inversion(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"lock_order_inversion", "broken", mode, verdict::deadlock,
                 "transfer a->b and b->a, each locking its source then its target", &run<locking::from_then_to>});
  out.push_back({"lock_order_inversion", "fixed", mode, verdict::clean,
                 "lab::scoped_lock takes both locks at once, without deadlock", &run<locking::both_at_once>});
  out.push_back({"lock_order_inversion", "fixed_ordered", mode, verdict::clean,
                 "every thread locks the lower account id first (a global lock order)", &run<locking::global_order>});
}

}  // namespace lab::scenarios
