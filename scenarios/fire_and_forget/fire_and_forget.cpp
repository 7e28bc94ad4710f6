// fire_and_forget: a background task spawned and forgotten; the loop ends before it does.
#include <optional>

#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

/// Tells the warehouse about an order: a 30 ms round trip to its API.
task<int> notify_warehouse(int order, int& notified) {
  co_await lab::sleep(30ms);
  ++notified;
  co_return order;
}

/// A checkout service takes three orders, 5 ms apart; each checkout notifies the warehouse in
/// the background so the customer does not wait for it. Broken: the notification is spawned
/// and forgotten (asyncio.create_task without keeping or awaiting the task); the service
/// returns after the last checkout, the loop cancels what is still pending, and the last
/// notifications never reach the warehouse - silently. Fixed: the notifications are spawned in
/// a task group (asyncio.TaskGroup) that the service joins before it returns: no task outlives
/// its parent.
template <bool Grouped>
task<int> checkout_service(int& notified) {
  auto* loop = co_await lab::this_loop();
  std::optional<task_group> group;
  if constexpr (Grouped) group.emplace(*loop);
  for (int order = 1; order <= 3; ++order) {
    co_await lab::sleep(5ms);  // take the payment
    if constexpr (Grouped) group->spawn(notify_warehouse(order, notified));
    else loop->spawn(notify_warehouse(order, notified));  // fire and forget
  }
  if constexpr (Grouped) co_await group->join();
  co_return notified;
}

template <bool Grouped>
void run() {
  lab::event_loop loop{"shop"};
  int notified = 0;
  loop.run(checkout_service<Grouped>(notified));
}

}  // namespace

void add_fire_and_forget(std::vector<scenario>& out) {
  constexpr std::string_view mode = "task management errors";
  out.push_back({"fire_and_forget", "broken", mode, verdict::task_orphaned,
                 "background tasks spawned and forgotten: the loop ends first and cancels them", &run<false>});
  out.push_back({"fire_and_forget", "fixed", mode, verdict::clean,
                 "a task group the service joins before it returns: no task outlives its parent", &run<true>});
}

}  // namespace lab::scenarios
