// check_then_act: two withdrawals from one account, each checking the balance first. The
// unguarded variant and the fix are exercise.cpp and solution.cpp; the half fix is here.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void check_then_act_broken();
void check_then_act_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {
namespace {

/// The check and the act each under the lock, but the lock is let go between them: no data
/// race, and still two withdrawals can both pass the check.
void locked_steps() {
  lab::shared<int> balance{100, "balance"};
  lab::mutex m{"m"};
  auto withdraw = [&](int amount) {
    bool enough;
    {
      lab::lock_guard hold(m);
      enough = balance >= amount;
    }
    if (enough) {  // another withdrawal may run here
      lab::lock_guard hold(m);
      balance = balance - amount;
    }
  };
  lab::thread t1([&] { withdraw(80); });
  lab::thread t2([&] { withdraw(80); });
  t1.join();
  t2.join();
  lab::assert_that(balance >= 0, "the account is never overdrawn (balance >= 0)");
}

}  // namespace

void add_check_then_act(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"check_then_act", "broken", mode, verdict::data_race,
                 "if (balance >= amount) balance -= amount, from two threads, unguarded",
                 &exercise_bodies::check_then_act_broken});
  out.push_back({"check_then_act", "broken_locked_steps", mode, verdict::assertion_failed,
                 "the check and the act each under the lock, but not together: race-free, still overdrawn",
                 &locked_steps});
  out.push_back({"check_then_act", "fixed", mode, verdict::clean, "one lock around the check and the act",
                 &exercise_bodies::check_then_act_fixed});
}

}  // namespace lab::scenarios
