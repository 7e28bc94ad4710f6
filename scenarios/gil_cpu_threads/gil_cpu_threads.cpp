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
/// Fixed: worker processes (multiprocessing), one interpreter and one GIL each - they run in
/// parallel (this model gives every thread a CPU of its own).
template <bool Processes>
void run() {
  for (int n : {1, 2, 4}) {
    lab::gil interpreter;  // one interpreter: the threads' shared GIL
    auto start = lab::now();
    std::vector<lab::thread> workers;
    for (int i = 0; i < n; ++i)
      workers.push_back(lab::thread([&interpreter] {
        if constexpr (Processes) {
          lab::gil own;  // a process: its own interpreter and GIL, nobody to share it with
          own.acquire();
          own.compute(200ms);
          own.release();
        } else {
          interpreter.acquire();
          interpreter.compute(200ms);
          interpreter.release();
        }
      }));
    for (auto& w : workers) w.join();
    lab::record_latency(fmt::format("elapsed with {} thread(s), 200 ms of CPU each", n), lab::now() - start);
  }
}

}  // namespace

void add_gil_cpu_threads(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the GIL: no parallel speed-up, convoy effect";
  out.push_back({"gil_cpu_threads", "broken", mode, verdict::starvation,
                 "CPU-bound threads share one GIL: 4 threads take 4x as long as one (no speed-up)", &run<false>});
  out.push_back({"gil_cpu_threads", "fixed", mode, verdict::clean,
                 "worker processes, a GIL each: 4 workers take as long as one", &run<true>});
}

}  // namespace lab::scenarios
