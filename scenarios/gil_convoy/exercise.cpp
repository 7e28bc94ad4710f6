// gil_convoy: an echo server thread serves 20 requests - receive (blocking I/O, which releases
// the GIL; the client's next request arrives 1 ms later), handle (50 us of Python), send - while a
// second thread computes for 300 ms in the same interpreter.
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

LAB_EXERCISE(gil_convoy) {
  lab::gil interpreter;
  lab::thread cruncher([&] {
    interpreter.acquire();
    interpreter.compute(300ms);  // Python code: holds the GIL
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
