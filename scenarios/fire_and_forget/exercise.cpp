// fire_and_forget: a checkout service takes three orders, 5 ms apart; each checkout notifies
// the warehouse in the background (a 30 ms round trip) so the customer does not wait for it.
// The notification is spawned and forgotten (asyncio.create_task, the task neither kept nor
// awaited); the service returns after the last checkout.
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

lab::task<int> notify_warehouse(int order, int& notified) {
  co_await lab::sleep(30ms);
  ++notified;
  co_return order;
}

lab::task<int> checkout_service(int& notified) {
  auto* loop = co_await lab::this_loop();
  for (int order = 1; order <= 3; ++order) {
    co_await lab::sleep(5ms);  // take the payment
    loop->spawn(notify_warehouse(order, notified));  // fire and forget
  }
  co_return notified;
}

}  // namespace

LAB_EXERCISE(fire_and_forget) {
  lab::event_loop loop{"shop"};
  int notified = 0;
  loop.run(checkout_service(notified));
}
