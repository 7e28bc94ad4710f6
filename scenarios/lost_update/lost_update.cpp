// lost_update: two threads increment a shared counter with `x = x + 1`. The broken variant and
// the mutex fix are exercise.cpp and solution.cpp (the workshop's files); the atomic fix is here.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::exercise_bodies {
void lost_update_broken();
void lost_update_fixed();
}  // namespace lab::exercise_bodies

namespace lab::scenarios {
namespace {

/// The counter an atomic: each fetch_add is one indivisible read-modify-write.
void with_atomic() {
  lab::atomic<int> counter{0, "counter"};
  auto increment = [&] { counter.fetch_add(1); };
  lab::thread t1(increment);
  lab::thread t2(increment);
  t1.join();
  t2.join();
  lab::assert_that(counter.load() == 2, "both increments are counted (x == 2)");
}

}  // namespace

void add_lost_update(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"lost_update", "broken", mode, verdict::data_race, "x = x + 1 from two threads, unguarded",
                 &exercise_bodies::lost_update_broken});
  out.push_back({"lost_update", "fixed", mode, verdict::clean, "the increment under a mutex",
                 &exercise_bodies::lost_update_fixed});
  out.push_back({"lost_update", "fixed_atomic", mode, verdict::clean, "an atomic fetch_add instead", &with_atomic});
}

}  // namespace lab::scenarios
