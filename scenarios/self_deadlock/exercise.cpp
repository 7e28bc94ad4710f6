// self_deadlock: an event publisher calls its subscribers with its lock held. One subscriber,
// when told of the first event, subscribes again ("also tell me next time"): it calls back into
// the publisher, which takes the same lock - a lab::mutex, like std::mutex, is not recursive.
#include <functional>
#include <vector>

#include "harness/exercise.h"

namespace {

class publisher {
 public:
  using callback = std::function<void(int)>;

  void subscribe(callback cb) {
    lab::lock_guard hold(m_);
    subscribers_.modify([&](std::vector<callback>& v) { v.push_back(std::move(cb)); });
  }

  void publish(int event) {
    lab::lock_guard hold(m_);
    for (auto& cb : subscribers_.load()) cb(event);  // a callback runs with m_ held
  }

 private:
  lab::mutex m_{"publisher.m"};
  lab::shared<std::vector<callback>> subscribers_{{}, "subscribers"};
};

}  // namespace

LAB_EXERCISE(self_deadlock) {
  publisher p;
  lab::atomic<int> seen{0, "seen"};
  p.subscribe([&](int) {
    seen.fetch_add(1);
    p.subscribe([&](int) { seen.fetch_add(1); });  // "also tell me next time": re-enters p
  });
  lab::thread worker([&] { p.publish(1); });
  worker.join();
  lab::assert_that(seen.load() == 1, "the first event reached the one subscriber there was");
}
