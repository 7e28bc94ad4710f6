// chatty_ipc, fixed: chunks of 13 items (multiprocessing.Pool.map's own heuristic,
// items / (4 x workers), rounded up): 8 round trips through the pipe instead of 100.
#include <chrono>
#include <vector>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

constexpr int items = 100;
constexpr auto per_item = 25us;  // the CPU work of one item

int score(int item) {
  lab::this_thread::work(per_item);
  return item % 7;
}

}  // namespace

LAB_EXERCISE(chatty_ipc) {
  std::vector<int> work(items);
  for (int i = 0; i < items; ++i) work[static_cast<std::size_t>(i)] = i;
  lab::process_pool pool(2);
  pool.start();  // with the service, not per request
  auto start = lab::now();
  std::vector<int> scores = pool.map(&score, work, 13);  // 8 chunks: 8 round trips
  lab::expect_within("map over 100 items on 2 worker processes", lab::now() - start, items * per_item);
  lab::assert_that(scores.size() == work.size(), "every item scored");
}
