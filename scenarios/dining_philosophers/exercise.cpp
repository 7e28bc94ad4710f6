// dining_philosophers: five philosophers at a round table, a fork between each two. Each eats
// once, holding both neighbouring forks: the left one first, then the right one.
#include <array>
#include <memory>
#include <source_location>

#include "harness/exercise.h"

LAB_EXERCISE(dining_philosophers) {
  constexpr int seats = 5;
  constexpr const char* names[seats] = {"fork0", "fork1", "fork2", "fork3", "fork4"};
  std::array<std::unique_ptr<lab::mutex>, seats> forks;
  // The location is passed on: left to its default, it would be inside std::make_unique.
  for (int i = 0; i < seats; ++i) forks[i] = std::make_unique<lab::mutex>(names[i], std::source_location::current());
  lab::atomic<int> meals{0, "meals"};
  auto dine = [&](int seat) {
    int left = seat, right = (seat + 1) % seats;
    lab::lock_guard<lab::mutex> a(*forks[left]);
    lab::this_thread::yield();  // reaches for the other fork
    lab::lock_guard<lab::mutex> b(*forks[right]);
    meals.fetch_add(1);
  };
  std::array<lab::thread, seats> philosophers;
  for (int i = 0; i < seats; ++i) philosophers[i] = lab::thread([&dine, i] { dine(i); });
  for (auto& p : philosophers) p.join();
  lab::assert_that(meals.load() == seats, "everyone ate");
}
