// chatty_ipc: fine-grained work shipped to worker processes one item at a time.
#include <vector>

#include "harness/lab.h"
#include "harness/sync/process_pool.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

using namespace std::chrono_literals;

constexpr int items = 100;
constexpr auto per_item = 25us;  // the CPU work of one item

int score(int item) {
  lab::this_thread::work(per_item);
  return item % 7;
}

/// A service keeps a pool of two worker processes (started with the service) for its CPU work.
/// A request brings 100 items of 25 us of CPU work each (2.5 ms in all); the pool should beat
/// doing them inline. Broken: one item per job (ProcessPoolExecutor.map's default chunksize of
/// 1): every item pays a round trip through the pipe (the job in, the result out: 2 x 50 us)
/// that costs four times the work itself - the pool is slower than no pool at all. Fixed:
/// chunks of 13 (multiprocessing.Pool.map's own heuristic, items / (4 x workers), rounded up):
/// 8 round trips in all.
template <std::size_t Chunk>
void run() {
  std::vector<int> work(items);
  for (int i = 0; i < items; ++i) work[static_cast<std::size_t>(i)] = i;
  lab::process_pool pool(2);
  pool.start();  // with the service, not per request
  auto start = lab::now();
  std::vector<int> scores = pool.map(&score, work, Chunk);
  lab::expect_within("map over 100 items on 2 worker processes", lab::now() - start, items * per_item);
  lab::assert_that(scores.size() == work.size(), "every item scored");
}

}  // namespace

void add_chatty_ipc(std::vector<scenario>& out) {
  constexpr std::string_view mode = "process overhead and IPC cost";
  out.push_back({"chatty_ipc", "broken", mode, verdict::slowdown,
                 "one item per job: the IPC round trips cost more than the work (slower than inline)", &run<1>});
  out.push_back({"chatty_ipc", "fixed", mode, verdict::clean,
                 "chunks of 13 items: 8 round trips, faster than inline", &run<13>});
}

}  // namespace lab::scenarios
