// never_awaited: a coroutine called for its effect and never awaited.
#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

task<int> send_receipt(int order, int& sent) {
  co_await lab::sleep(5ms);  // the mail server round trip
  ++sent;
  co_return order;
}

/// Completing an order sends a receipt. Broken: the call creates the coroutine and keeps it in
/// a variable, but nobody awaits it - its body never runs and no receipt is sent. (lab::task is
/// [[nodiscard]], so a bare call would not compile; keeping the task "for later" does.) Fixed:
/// co_await it.
template <bool Awaits>
task<int> complete_order(int order, int& sent) {
  if constexpr (Awaits) {
    co_await send_receipt(order, sent);
  } else {
    auto receipt = send_receipt(order, sent);  // forgot co_await
  }
  co_return order;
}

template <bool Awaits>
void run() {
  lab::event_loop loop{"shop"};
  int sent = 0;
  loop.run(complete_order<Awaits>(7, sent));
  lab::assert_that(sent == 1, "the receipt was sent");
}

}  // namespace

void add_never_awaited(std::vector<scenario>& out) {
  constexpr std::string_view mode = "task management errors";
  out.push_back({"never_awaited", "broken", mode, verdict::never_awaited,
                 "a coroutine is created and dropped without co_await: its body never runs", &run<false>});
  out.push_back({"never_awaited", "fixed", mode, verdict::clean, "co_await send_receipt(...)", &run<true>});
}

}  // namespace lab::scenarios
