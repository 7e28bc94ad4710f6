// lost_wakeup: the producer notifies before the consumer waits; the consumer waits without a
// predicate and sleeps forever.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

template <bool Predicate>
void run() {
  lab::mutex m{"m"};
  lab::condition_variable cv{"cv"};
  lab::shared<bool> ready{false, "ready"};
  lab::shared<int> data{0, "data"};
  lab::thread producer([&] {
    {
      lab::lock_guard hold(m);
      data = 42;
      ready = true;
    }
    cv.notify_one();  // if nobody waits yet, this notification is gone
  });
  lab::thread consumer([&] {
    lab::unique_lock lk(m);
    if constexpr (Predicate) {
      cv.wait(lk, [&] { return ready.load(); });  // checks the state, under the lock, every time
      lab::assert_that(data == 42, "the consumer sees the data");
    } else {
      cv.wait(lk);  // assumes the notification is still to come
      // (A spurious wake-up would get here with no data: the same missing predicate. The lab
      // explores those too; this variant is about the notification that came too early.)
    }
  });
  producer.join();
  consumer.join();
}

}  // namespace

void add_lost_wakeup(std::vector<scenario>& out) {
  constexpr std::string_view mode = "lost wakeup";
  out.push_back({"lost_wakeup", "broken", mode, verdict::lost_wakeup,
                 "notify before wait; the wait has no predicate", &run<false>});
  out.push_back({"lost_wakeup", "fixed", mode, verdict::clean, "wait with a predicate on state kept under the lock",
                 &run<true>});
}

}  // namespace lab::scenarios
