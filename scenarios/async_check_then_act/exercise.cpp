// async_check_then_act: two withdrawals of 80 from an account holding 100, as two tasks on one
// event loop - no threads. Each checks the balance, writes an audit log entry (an await), then
// takes the money.
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

struct account {
  lab::shared<int> balance{100, "balance"};  // watched: its reads and writes show in the report
};

lab::task<int> write_audit_log() {
  co_await lab::sleep(1ms);  // I/O: the loop runs other tasks meanwhile
  co_return 0;
}

lab::task<int> withdraw(account& a, int amount) {
  int granted = 0;
  if (a.balance.load() >= amount) {
    co_await write_audit_log();
    a.balance = a.balance - amount;
    granted = amount;
  }
  co_return granted;
}

}  // namespace

LAB_EXERCISE(async_check_then_act) {
  lab::event_loop loop{"bank"};
  account acct;
  loop.run([](account& a) -> lab::task<int> {
    auto* here = co_await lab::this_loop();
    auto x = here->spawn(withdraw(a, 80));
    auto y = here->spawn(withdraw(a, 80));
    co_return co_await x + co_await y;
  }(acct));
  lab::assert_that(acct.balance.load() >= 0, "the account is never overdrawn");
}
