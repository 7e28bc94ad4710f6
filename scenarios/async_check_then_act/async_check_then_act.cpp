// async_check_then_act: a check and an act with an await between them, on one thread.
#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

struct account {
  lab::shared<int> balance{100, "balance"};  // watched: its reads and writes show in the report
};

task<int> write_audit_log() {
  co_await lab::sleep(1ms);  // I/O: the loop runs other tasks meanwhile
  co_return 0;
}

/// Withdraws if the balance covers it, writing an audit log entry in between. There are no
/// threads and so no data race - and still, the await between the check and the act lets the
/// other task check the same old balance. Fixed: an asyncio.Lock (lab::async_mutex) around the
/// check and the act.
template <bool Locked>
task<int> withdraw(account& a, async_mutex& m, int amount) {
  if constexpr (Locked) co_await m.lock();
  int granted = 0;
  if (a.balance.load() >= amount) {
    co_await write_audit_log();
    a.balance = a.balance - amount;
    granted = amount;
  }
  if constexpr (Locked) m.unlock();
  co_return granted;
}

template <bool Locked>
void run() {
  lab::event_loop loop{"bank"};
  account acct;
  async_mutex m;
  loop.run([](account& a, async_mutex& mu) -> task<int> {
    auto* here = co_await lab::this_loop();
    auto x = here->spawn(withdraw<Locked>(a, mu, 80));
    auto y = here->spawn(withdraw<Locked>(a, mu, 80));
    co_return co_await x + co_await y;
  }(acct, m));
  lab::assert_that(acct.balance.load() >= 0, "the account is never overdrawn");
}

}  // namespace

void add_async_check_then_act(std::vector<scenario>& out) {
  constexpr std::string_view mode = "races without threads: atomicity across an await";
  out.push_back({"async_check_then_act", "broken", mode, verdict::assertion_failed,
                 "two tasks check the balance, await the audit log, then withdraw: overdrawn", &run<false>});
  out.push_back({"async_check_then_act", "fixed", mode, verdict::clean,
                 "lab::async_mutex (asyncio.Lock) around the check and the act", &run<true>});
}

}  // namespace lab::scenarios
