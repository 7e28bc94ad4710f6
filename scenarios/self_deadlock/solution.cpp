// self_deadlock, fixed: the publisher copies its subscribers under the lock and calls them
// outside it, so a callback may call back into the publisher (a new subscriber hears the next
// event, not this one).
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
    std::vector<callback> snapshot;
    {
      lab::lock_guard hold(m_);
      snapshot = subscribers_.load();
    }
    for (auto& cb : snapshot) cb(event);  // no lock held: a callback may subscribe
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
