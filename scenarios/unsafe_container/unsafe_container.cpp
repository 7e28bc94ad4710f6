// unsafe_container: two threads push_back into one std::vector.
#include <vector>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

/// Two producers each append two items to a shared std::vector; afterwards it holds four.
template <bool Guarded>
void run() {
  lab::shared<std::vector<int>> items{{}, "items"};
  lab::mutex m{"m"};
  auto produce = [&](int first) {
    for (int i = first; i < first + 2; ++i) {
      if constexpr (Guarded) {
        lab::lock_guard hold(m);
        items.modify([i](std::vector<int>& v) { v.push_back(i); });
      } else {
        items.modify([i](std::vector<int>& v) { v.push_back(i); });  // may reallocate under the other
      }
    }
  };
  lab::thread t1([&] { produce(0); });
  lab::thread t2([&] { produce(10); });
  t1.join();
  t2.join();
  lab::assert_that(items.load().size() == 4, "every item is there");
}

}  // namespace

void add_unsafe_container(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"unsafe_container", "broken", mode, verdict::data_race,
                 "concurrent push_back on one std::vector", &run<false>});
  out.push_back({"unsafe_container", "fixed", mode, verdict::clean, "every push_back under a mutex", &run<true>});
}

}  // namespace lab::scenarios
