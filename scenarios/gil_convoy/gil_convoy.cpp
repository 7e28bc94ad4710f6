// gil_convoy: an I/O thread's latency behind a CPU-bound thread, quantized by the switch interval.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

using namespace std::chrono_literals;

/// An echo server thread serves 20 requests: receive (blocking I/O: releases the GIL; the
/// client's next request arrives 1 ms later), handle (50 us of Python), send. A second thread
/// computes for 300 ms meanwhile. Broken: the computation is Python code holding the GIL, so
/// every time the echo thread comes back from I/O it waits for the GIL - one to two switch
/// intervals (5-10 ms) for 50 us of work. Fixed: the computation runs outside the GIL (a C
/// extension that releases it, as numpy does, or another process).
template <bool ComputeOutsideGil>
void run() {
  lab::gil interpreter;
  lab::thread cruncher([&] {
    interpreter.acquire();
    if constexpr (ComputeOutsideGil) {
      interpreter.release();  // Py_BEGIN_ALLOW_THREADS
      lab::this_thread::work(300ms);
      interpreter.acquire();  // Py_END_ALLOW_THREADS
    } else {
      interpreter.compute(300ms);
    }
    interpreter.release();
  });
  lab::thread echo([&] {
    interpreter.acquire();
    for (int i = 0; i < 20; ++i) {
      auto start = lab::now();
      interpreter.blocking_io(1ms);  // recv: the request arrives 1 ms later
      interpreter.compute(50us);     // handle it
      lab::record_latency("echo request latency (1 ms of it is the network)", lab::now() - start);
    }
    interpreter.release();
  });
  cruncher.join();
  echo.join();
}

}  // namespace

void add_gil_convoy(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the GIL: no parallel speed-up, convoy effect";
  out.push_back({"gil_convoy", "broken", mode, verdict::starvation,
                 "an I/O thread waits a switch interval for the GIL after every recv", &run<false>});
  out.push_back({"gil_convoy", "fixed", mode, verdict::clean,
                 "the CPU work releases the GIL (a C extension, or a process)", &run<true>});
}

}  // namespace lab::scenarios
