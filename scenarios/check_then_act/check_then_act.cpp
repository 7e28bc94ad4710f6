// check_then_act: two withdrawals from one account, each checking the balance first.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

enum class guard { none, lock_each_step, lock_check_and_act };

/// Two threads each withdraw 80 from an account holding 100. At most one may succeed: the
/// balance must never go negative.
template <guard G>
void run() {
  lab::shared<int> balance{100, "balance"};
  lab::mutex m{"m"};
  auto withdraw = [&](int amount) {
    if constexpr (G == guard::none) {
      if (balance >= amount) balance = balance - amount;  // check, then act
    } else if constexpr (G == guard::lock_each_step) {
      bool enough;
      {
        lab::lock_guard hold(m);
        enough = balance >= amount;
      }
      if (enough) {  // another withdrawal may run here
        lab::lock_guard hold(m);
        balance = balance - amount;
      }
    } else {
      lab::lock_guard hold(m);
      if (balance >= amount) balance = balance - amount;
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
                 "if (balance >= amount) balance -= amount, from two threads, unguarded", &run<guard::none>});
  out.push_back({"check_then_act", "broken_locked_steps", mode, verdict::assertion_failed,
                 "the check and the act each under the lock, but not together: race-free, still overdrawn",
                 &run<guard::lock_each_step>});
  out.push_back({"check_then_act", "fixed", mode, verdict::clean, "one lock around the check and the act",
                 &run<guard::lock_check_and_act>});
}

}  // namespace lab::scenarios
