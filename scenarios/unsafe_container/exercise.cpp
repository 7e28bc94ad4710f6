// unsafe_container: two producers each append two items to one std::vector; afterwards it must
// hold four. push_back may reallocate the vector while the other thread writes into it.
#include <vector>

#include "harness/exercise.h"

LAB_EXERCISE(unsafe_container) {
  lab::shared<std::vector<int>> items{{}, "items"};
  auto produce = [&](int first) {
    for (int i = first; i < first + 2; ++i) items.modify([i](std::vector<int>& v) { v.push_back(i); });
  };
  lab::thread t1([&] { produce(0); });
  lab::thread t2([&] { produce(10); });
  t1.join();
  t2.join();
  lab::assert_that(items.load().size() == 4, "every item is there");
}
