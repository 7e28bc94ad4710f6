// gil_cpu_threads: CPU-bound Python threads under the GIL: concurrency without parallelism.
#include <fmt/format.h>

#include <vector>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

using namespace std::chrono_literals;

/// 1, 2, then 4 threads each compute for 200 ms of CPU time (pure-Python work, say counting
/// primes), and the elapsed virtual time of each round is measured. Broken: threads of one
/// interpreter share its GIL - they take turns, so 4 threads take 4 times as long as one.
/// Fixed: a pool of worker processes (multiprocessing), one interpreter and one GIL each - they
/// run in parallel, for the price of starting the processes and shipping the jobs.
void compute_in_python(lab::gil& interpreter) {
  interpreter.acquire();
  interpreter.compute(200ms);
  interpreter.release();
}

template <bool Processes>
void run() {
  for (int n : {1, 2, 4}) {
    auto start = lab::now();
    if constexpr (Processes) {
      lab::process_pool pool(static_cast<std::size_t>(n));
      std::vector<lab::future<int>> done;
      for (int i = 0; i < n; ++i) done.push_back(pool.submit([](lab::gil& own) {
        compute_in_python(own);  // its own interpreter: nobody to share the GIL with
        return 0;
      }));
      for (auto& d : done) d.get();
    } else {
      lab::gil interpreter;  // one interpreter: the threads' shared GIL
      std::vector<lab::thread> workers;
      for (int i = 0; i < n; ++i) workers.push_back(lab::thread([&interpreter] { compute_in_python(interpreter); }));
      for (auto& w : workers) w.join();
    }
    lab::record_latency(fmt::format("elapsed with {} {}, 200 ms of CPU each", n, Processes ? "process(es)" : "thread(s)"),
                        lab::now() - start);
  }
}

}  // namespace

void add_gil_cpu_threads(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the GIL: no parallel speed-up, convoy effect";
  out.push_back({"gil_cpu_threads", "broken", mode, verdict::starvation,
                 "CPU-bound threads share one GIL: 4 threads take 4x as long as one (no speed-up)", &run<false>});
  out.push_back({"gil_cpu_threads", "fixed", mode, verdict::clean,
                 "a process pool, a GIL per worker: 4 workers take as long as one", &run<true>});
}

}  // namespace lab::scenarios
