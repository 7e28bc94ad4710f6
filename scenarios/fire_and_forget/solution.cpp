// fire_and_forget, fixed: the notifications are spawned in a task group (asyncio.TaskGroup) that
// the service joins before it returns: no task outlives its parent, and the customer still does
// not wait for the warehouse between checkouts.
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
  lab::task_group group(*loop);
  for (int order = 1; order <= 3; ++order) {
    co_await lab::sleep(5ms);  // take the payment
    group.spawn(notify_warehouse(order, notified));
  }
  co_await group.join();
  co_return notified;
}

}  // namespace

LAB_EXERCISE(fire_and_forget) {
  lab::event_loop loop{"shop"};
  int notified = 0;
  loop.run(checkout_service(notified));
}
