// dining_philosophers, fixed: a resource hierarchy. Every philosopher picks up the
// lower-numbered of its two forks first, so no cycle of philosophers waiting on each other can
// close (Dijkstra's solution).
#include <algorithm>
#include <array>
#include <memory>
#include <source_location>

#include "harness/exercise.h"

LAB_EXERCISE(dining_philosophers) {
  constexpr int seats = 5;
  constexpr const char* names[seats] = {"fork0", "fork1", "fork2", "fork3", "fork4"};
  std::array<std::unique_ptr<lab::mutex>, seats> forks;
  for (int i = 0; i < seats; ++i) forks[i] = std::make_unique<lab::mutex>(names[i], std::source_location::current());
  lab::atomic<int> meals{0, "meals"};
  auto dine = [&](int seat) {
    int left = seat, right = (seat + 1) % seats;
    lab::lock_guard<lab::mutex> a(*forks[std::min(left, right)]);
    lab::this_thread::yield();
    lab::lock_guard<lab::mutex> b(*forks[std::max(left, right)]);
    meals.fetch_add(1);
  };
  std::array<lab::thread, seats> philosophers;
  for (int i = 0; i < seats; ++i) philosophers[i] = lab::thread([&dine, i] { dine(i); });
  for (auto& p : philosophers) p.join();
  lab::assert_that(meals.load() == seats, "everyone ate");
}
