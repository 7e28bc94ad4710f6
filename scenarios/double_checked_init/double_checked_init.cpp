// double_checked_init: lazy initialisation guarded by a "ready" flag read without the lock. The
// plain flag and the acquire/release fix are exercise.cpp and solution.cpp; the relaxed flag and
// call_once are here.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void double_checked_init_broken();
void double_checked_init_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {
namespace {

/// The flag an atomic, but loaded and stored relaxed: the load that sees it set synchronises
/// with nothing, so the configuration's write is not ordered before its read.
void relaxed_flag() {
  lab::shared<int> config{0, "config"};
  lab::shared<int> builds{0, "builds"};
  lab::atomic<bool> ready{false, "ready"};
  lab::mutex m{"m"};
  auto get = [&] {
    if (!ready.load(std::memory_order_relaxed)) {
      lab::lock_guard hold(m);
      if (!ready.load(std::memory_order_relaxed)) {
        builds = builds + 1;
        config = 42;
        ready.store(true, std::memory_order_relaxed);
      }
    }
    lab::assert_that(config == 42, "the configuration is built before it is used");
  };
  lab::thread t1(get);
  lab::thread t2(get);
  t1.join();
  t2.join();
  lab::assert_that(builds == 1, "built exactly once");
}

/// std::call_once: the library's once-only initialisation, with its own synchronisation.
void with_call_once() {
  lab::shared<int> config{0, "config"};
  lab::shared<int> builds{0, "builds"};
  lab::once_flag once{"once"};
  auto get = [&] {
    lab::call_once(once, [&] {
      builds = builds + 1;
      config = 42;
    });
    lab::assert_that(config == 42, "the configuration is built before it is used");
  };
  lab::thread t1(get);
  lab::thread t2(get);
  t1.join();
  t2.join();
  lab::assert_that(builds == 1, "built exactly once");
}

}  // namespace

void add_double_checked_init(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"double_checked_init", "broken", mode, verdict::data_race,
                 "double-checked locking with a plain bool flag read outside the lock",
                 &exercise_bodies::double_checked_init_broken});
  out.push_back({"double_checked_init", "broken_relaxed", "the wrong memory order", verdict::data_race,
                 "the flag an atomic, but loaded and stored with memory_order_relaxed", &relaxed_flag});
  out.push_back({"double_checked_init", "fixed", mode, verdict::clean, "the flag an atomic with acquire/release",
                 &exercise_bodies::double_checked_init_fixed});
  out.push_back({"double_checked_init", "fixed_call_once", mode, verdict::clean, "lab::call_once (std::call_once)",
                 &with_call_once});
}

}  // namespace lab::scenarios
