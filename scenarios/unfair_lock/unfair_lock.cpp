// unfair_lock: busy threads re-lock a mutex the moment they release it; one thread that needs it
// once never gets in.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

/// Three workers append to a log in a tight loop, each entry under the log's mutex. A fourth
/// thread needs the mutex once, to rotate the log. std::mutex (like lab::mutex) makes no
/// promise of fairness: whoever runs first after an unlock takes it, and the unlocker is usually
/// still running. A FIFO hand-off hands the mutex to the longest waiter.
template <class Mutex>
void run() {
  Mutex log_lock{"log_lock"};
  lab::atomic<int> entries{0, "entries"};
  lab::atomic<bool> rotated{false, "rotated"};
  auto worker = [&] {
    for (int i = 0; i < 40; ++i) {
      lab::lock_guard hold(log_lock);
      entries.fetch_add(1);
    }  // ...and straight back for the next entry
  };
  lab::thread w1(worker), w2(worker), w3(worker);
  lab::thread rotator([&] {
    lab::lock_guard hold(log_lock);
    rotated.store(true);
  });
  w1.join();
  w2.join();
  w3.join();
  rotator.join();
  lab::assert_that(rotated.load(), "the log was rotated");
}

}  // namespace

void add_unfair_lock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "starvation";
  out.push_back({"unfair_lock", "broken", mode, verdict::starvation,
                 "workers re-lock at once; the rotator is passed over again and again", &run<lab::mutex>, "pct",
                 "random gives the woken rotator an even chance at every unlock: it is fair by construction"});
  out.push_back({"unfair_lock", "fixed", mode, verdict::clean, "lab::fifo_mutex hands the lock to the longest waiter",
                 &run<lab::fifo_mutex>});
}

}  // namespace lab::scenarios
