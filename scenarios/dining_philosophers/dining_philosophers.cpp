// dining_philosophers: five philosophers, five forks, each takes the left fork then the right.
#include <array>
#include <memory>
#include <source_location>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

constexpr int seats = 5;
constexpr const char* fork_names[seats] = {"fork0", "fork1", "fork2", "fork3", "fork4"};

/// Each philosopher eats once, holding both neighbouring forks. With `Ordered`, every
/// philosopher picks up the lower-numbered fork first (a resource hierarchy).
template <bool Ordered>
void run() {
  std::array<std::unique_ptr<lab::mutex>, seats> forks;
  // The location is passed on: left to its default, it would be inside std::make_unique.
  for (int i = 0; i < seats; ++i)
    forks[i] = std::make_unique<lab::mutex>(fork_names[i], std::source_location::current());
  lab::atomic<int> meals{0, "meals"};
  auto dine = [&](int seat) {
    int left = seat, right = (seat + 1) % seats;
    int first = Ordered ? std::min(left, right) : left;
    int second = Ordered ? std::max(left, right) : right;
    lab::lock_guard<lab::mutex> a(*forks[first]);
    lab::this_thread::yield();  // reaches for the other fork
    lab::lock_guard<lab::mutex> b(*forks[second]);
    meals.fetch_add(1);
  };
  std::array<lab::thread, seats> philosophers;
  for (int i = 0; i < seats; ++i) philosophers[i] = lab::thread([&dine, i] { dine(i); });
  for (auto& p : philosophers) p.join();
  lab::assert_that(meals.load() == seats, "everyone ate");
}

}  // namespace

void add_dining_philosophers(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"dining_philosophers", "broken", mode, verdict::deadlock,
                 "five philosophers each take the left fork, then the right", &run<false>});
  out.push_back({"dining_philosophers", "fixed", mode, verdict::clean,
                 "resource hierarchy: the lower-numbered fork first", &run<true>});
}

}  // namespace lab::scenarios
