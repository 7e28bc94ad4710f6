// gil_cpu_threads, fixed: a pool of worker processes (multiprocessing), one interpreter and one
// GIL each - they run in parallel, for the price of starting the processes and shipping the jobs.
#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

void compute_in_python(lab::gil& interpreter) {
  interpreter.acquire();
  interpreter.compute(200ms);
  interpreter.release();
}

}  // namespace

LAB_EXERCISE(gil_cpu_threads) {
  for (int n : {1, 2, 4}) {
    auto start = lab::now();
    lab::process_pool pool(static_cast<std::size_t>(n));
    std::vector<lab::future<int>> done;
    for (int i = 0; i < n; ++i) done.push_back(pool.submit([](lab::gil& own) {
      compute_in_python(own);  // its own interpreter: nobody to share the GIL with
      return 0;
    }));
    for (auto& d : done) d.get();
    lab::record_latency(fmt::format("elapsed with {} process(es), 200 ms of CPU each", n), lab::now() - start);
  }
}
