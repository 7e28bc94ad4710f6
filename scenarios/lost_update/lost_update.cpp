// lost_update: two threads increment a shared counter with `x = x + 1`.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

enum class guard { none, mutex, atomic };

/// Two threads each add 1; afterwards the counter must be 2. Unguarded, the read and the write
/// of `x = x + 1` interleave and one increment is lost.
template <guard G>
void run() {
  lab::shared<int> x{0, "x"};
  lab::mutex m{"m"};
  lab::atomic<int> counter{0, "counter"};
  auto increment = [&] {
    if constexpr (G == guard::none) {
      x = x + 1;
    } else if constexpr (G == guard::mutex) {
      lab::lock_guard hold(m);
      x = x + 1;
    } else {
      counter.fetch_add(1);
    }
  };
  lab::thread t1(increment);
  lab::thread t2(increment);
  t1.join();
  t2.join();
  int total = G == guard::atomic ? counter.load() : x.load();
  lab::assert_that(total == 2, "both increments are counted (x == 2)");
}

}  // namespace

void add_lost_update(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"lost_update", "broken", mode, verdict::data_race, "x = x + 1 from two threads, unguarded",
                 &run<guard::none>});
  out.push_back({"lost_update", "fixed", mode, verdict::clean, "the increment under a mutex", &run<guard::mutex>});
  out.push_back({"lost_update", "fixed_atomic", mode, verdict::clean, "an atomic fetch_add instead",
                 &run<guard::atomic>});
}

}  // namespace lab::scenarios
