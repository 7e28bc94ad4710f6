// chatty_ipc: a service keeps a pool of two worker processes (started with the service) for its
// CPU work. A request brings 100 items of 25 us of CPU work each (2.5 ms in all), which it maps
// over the pool one item per job - ProcessPoolExecutor.map's default chunksize. Every job is a
// round trip through a pipe (the job in, the result out: 2 x 50 us). The pool should beat doing
// the items inline.
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
  std::vector<int> scores = pool.map(&score, work, 1);  // chunksize 1: one item per job
  lab::expect_within("map over 100 items on 2 worker processes", lab::now() - start, items * per_item);
  lab::assert_that(scores.size() == work.size(), "every item scored");
}
