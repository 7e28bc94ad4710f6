// gil_cpu_threads: 1, 2, then 4 threads each compute for 200 ms of CPU time (pure-Python work,
// say counting primes) in one interpreter, and each round's elapsed virtual time is measured.
// The threads of one interpreter share its GIL (lab::gil models CPython's).
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
    lab::gil interpreter;  // one interpreter: the threads' shared GIL
    std::vector<lab::thread> workers;
    for (int i = 0; i < n; ++i) workers.push_back(lab::thread([&interpreter] { compute_in_python(interpreter); }));
    for (auto& w : workers) w.join();
    lab::record_latency(fmt::format("elapsed with {} thread(s), 200 ms of CPU each", n), lab::now() - start);
  }
}
