// lock_order_inversion: transfers a->b and b->a, each locking "from" then "to". The broken
// variant and the scoped_lock fix are exercise.cpp and solution.cpp; the global lock order is here.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void lock_order_inversion_broken();
void lock_order_inversion_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {
namespace {

struct account {
  account(int id_, int initial, const char* lock_name, const char* balance_name)
      : id(id_), m(lock_name), balance(initial, balance_name) {}
  int id;
  lab::mutex m;
  lab::shared<int> balance;
};

/// Moves `amount` holding both accounts' locks, the lower id's first: every thread takes them
/// in the same global order, so no cycle of waits can form.
void transfer_in_order(account& from, account& to, int amount) {
  account& low = from.id < to.id ? from : to;
  account& high = from.id < to.id ? to : from;
  lab::lock_guard first(low.m);
  lab::lock_guard second(high.m);
  from.balance = from.balance - amount;
  to.balance = to.balance + amount;
}

void global_order() {
  account a{1, 100, "a.m", "a.balance"};
  account b{2, 100, "b.m", "b.balance"};
  lab::thread t1([&] { transfer_in_order(a, b, 10); });
  lab::thread t2([&] { transfer_in_order(b, a, 20); });
  t1.join();
  t2.join();
  lab::assert_that(a.balance.load() + b.balance.load() == 200, "money is neither created nor destroyed");
}

}  // namespace

void add_lock_order_inversion(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"lock_order_inversion", "broken", mode, verdict::deadlock,
                 "transfer a->b and b->a, each locking its source then its target",
                 &exercise_bodies::lock_order_inversion_broken});
  out.push_back({"lock_order_inversion", "fixed", mode, verdict::clean,
                 "lab::scoped_lock takes both locks at once, without deadlock", &exercise_bodies::lock_order_inversion_fixed});
  out.push_back({"lock_order_inversion", "fixed_ordered", mode, verdict::clean,
                 "every thread locks the lower account id first (a global lock order)", &global_order});
}

}  // namespace lab::scenarios
