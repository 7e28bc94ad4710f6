// async_check_then_act, fixed: a lab::async_mutex (asyncio.Lock) held across the check, the
// await and the act, so the other task's check waits for this one's act.
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

struct account {
  lab::shared<int> balance{100, "balance"};
};

lab::task<int> write_audit_log() {
  co_await lab::sleep(1ms);
  co_return 0;
}

lab::task<int> withdraw(account& a, lab::async_mutex& m, int amount) {
  co_await m.lock();
  int granted = 0;
  if (a.balance.load() >= amount) {
    co_await write_audit_log();
    a.balance = a.balance - amount;
    granted = amount;
  }
  m.unlock();
  co_return granted;
}

}  // namespace

LAB_EXERCISE(async_check_then_act) {
  lab::event_loop loop{"bank"};
  account acct;
  lab::async_mutex m;
  loop.run([](account& a, lab::async_mutex& mu) -> lab::task<int> {
    auto* here = co_await lab::this_loop();
    auto x = here->spawn(withdraw(a, mu, 80));
    auto y = here->spawn(withdraw(a, mu, 80));
    co_return co_await x + co_await y;
  }(acct, m));
  lab::assert_that(acct.balance.load() >= 0, "the account is never overdrawn");
}
