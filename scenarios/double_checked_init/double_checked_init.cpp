// double_checked_init: lazy initialisation guarded by a "ready" flag read without the lock. The
// plain flag, the relaxed atomic flag and the acquire/release fix are exercise.cpp,
// exercise_relaxed.cpp and solution.cpp; call_once is here.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void double_checked_init_broken();
void double_checked_init_relaxed_broken();
void double_checked_init_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {
namespace {

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
                 "the flag an atomic, but loaded and stored with memory_order_relaxed", &exercise_bodies::double_checked_init_relaxed_broken});
  out.push_back({"double_checked_init", "fixed", mode, verdict::clean, "the flag an atomic with acquire/release",
                 &exercise_bodies::double_checked_init_fixed});
  out.push_back({"double_checked_init", "fixed_call_once", mode, verdict::clean, "lab::call_once (std::call_once)",
                 &with_call_once});
}

}  // namespace lab::scenarios
