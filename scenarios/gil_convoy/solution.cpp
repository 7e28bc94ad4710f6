// gil_convoy, fixed: the computation runs outside the GIL - a C extension that releases it, as
// numpy does (Py_BEGIN_ALLOW_THREADS), or another process - so the echo thread gets the GIL back
// as soon as its request arrives.
#include <chrono>

#include "harness/exercise.h"

using namespace std::chrono_literals;

LAB_EXERCISE(gil_convoy) {
  lab::gil interpreter;
  lab::thread cruncher([&] {
    interpreter.acquire();
    interpreter.release();          // Py_BEGIN_ALLOW_THREADS
    lab::this_thread::work(300ms);  // native code, outside the GIL
    interpreter.acquire();          // Py_END_ALLOW_THREADS
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
