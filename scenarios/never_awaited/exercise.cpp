// never_awaited: completing an order sends a receipt, by a coroutine. The call creates the
// coroutine and keeps it in a variable, but nobody awaits it. (lab::task is [[nodiscard]], so a
// bare call would not compile; keeping the task "for later" does.)
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

lab::task<int> send_receipt(int order, lab::shared<int>& sent) {
  co_await lab::sleep(5ms);  // the mail server round trip
  sent = sent + 1;
  co_return order;
}

lab::task<int> complete_order(int order, lab::shared<int>& sent) {
  auto receipt = send_receipt(order, sent);  // the receipt, for later
  co_return order;
}

}  // namespace

LAB_EXERCISE(never_awaited) {
  lab::event_loop loop{"shop"};
  lab::shared<int> sent{0, "sent"};
  loop.run(complete_order(7, sent));
  lab::assert_that(sent == 1, "the receipt was sent");
}
