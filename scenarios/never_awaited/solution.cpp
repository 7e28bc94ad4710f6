// never_awaited, fixed: co_await the receipt's coroutine: a coroutine's body runs only when it is
// awaited (or spawned as a task of its own).
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
  co_await send_receipt(order, sent);
  co_return order;
}

}  // namespace

LAB_EXERCISE(never_awaited) {
  lab::event_loop loop{"shop"};
  lab::shared<int> sent{0, "sent"};
  loop.run(complete_order(7, sent));
  lab::assert_that(sent == 1, "the receipt was sent");
}
