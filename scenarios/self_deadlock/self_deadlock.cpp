// self_deadlock: an event publisher calls its subscribers with its lock held; one subscriber
// subscribes again, which takes the same (non-recursive) lock.
#include <functional>
#include <vector>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

class publisher {
 public:
  using callback = std::function<void(int)>;

  void subscribe(callback cb) {
    lab::lock_guard hold(m_);
    subscribers_.modify([&](std::vector<callback>& v) { v.push_back(std::move(cb)); });
  }

  /// Broken: calls the subscribers with m_ held, so a subscriber that calls back into the
  /// publisher relocks m_. Fixed: copies the list under the lock and calls outside it.
  template <bool CallOutsideLock>
  void publish(int event) {
    if constexpr (CallOutsideLock) {
      std::vector<callback> snapshot;
      {
        lab::lock_guard hold(m_);
        snapshot = subscribers_.load();
      }
      for (auto& cb : snapshot) cb(event);
    } else {
      lab::lock_guard hold(m_);
      for (auto& cb : subscribers_.load()) cb(event);
    }
  }

 private:
  lab::mutex m_{"publisher.m"};
  lab::shared<std::vector<callback>> subscribers_{{}, "subscribers"};
};

template <bool Fixed>
void run() {
  publisher p;
  lab::atomic<int> seen{0, "seen"};
  p.subscribe([&](int) {
    seen.fetch_add(1);
    p.subscribe([&](int) { seen.fetch_add(1); });  // "also tell me next time": re-enters p
  });
  lab::thread worker([&] { p.publish<Fixed>(1); });
  worker.join();
  lab::assert_that(seen.load() == 1, "the first event reached the one subscriber there was");
}

}  // namespace

void add_self_deadlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"self_deadlock", "broken", mode, verdict::deadlock,
                 "a callback run under the publisher's lock relocks it (non-recursive)", &run<false>});
  out.push_back({"self_deadlock", "fixed", mode, verdict::clean,
                 "copy the subscribers under the lock, call them outside it", &run<true>});
}

}  // namespace lab::scenarios
