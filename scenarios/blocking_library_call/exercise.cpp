// blocking_library_call: the same service on one event loop - a heartbeat every 50 ms - and a
// handler that geocodes an address with a third-party library that has only a blocking API.
#include <chrono>
#include <string>

#include "harness/exercise.h"

using namespace std::chrono_literals;

/// A stand-in for the third-party library (leave it as it is: it is not yours to change): an
/// HTTP geocoding client with no async API.
namespace legacy_geocoder {

/// Looks an address up over the network: blocks the calling thread for the round trip
/// (250 ms), as requests.get() would.
inline std::string lookup(const std::string& address) {
  lab::this_thread::sleep_for(250ms);  // the blocking socket read
  return address.empty() ? std::string("?") : std::string("48.85,2.35");
}

}  // namespace legacy_geocoder

namespace {

/// The service's heartbeat: eight ticks, one every 50 ms; it records how late each tick ran.
lab::task<int> heartbeat(int ticks, std::chrono::nanoseconds start) {
  auto due = start;
  for (int i = 0; i < ticks; ++i) {
    due += 50ms;
    co_await lab::sleep(due - lab::now());
    lab::record_latency("heartbeat lateness", lab::now() - due);
  }
  co_return ticks;
}

lab::task<int> geocode() {
  std::string where = legacy_geocoder::lookup("Paris");
  co_return static_cast<int>(where.size());
}

lab::task<int> serve() {
  auto* loop = co_await lab::this_loop();
  auto beat = loop->spawn(heartbeat(8, lab::now()));
  int answer = co_await geocode();
  co_await beat;
  co_return answer;
}

}  // namespace

LAB_EXERCISE(blocking_library_call) {
  lab::event_loop loop{"service"};
  int answer = loop.run(serve());
  lab::assert_that(answer == 10, "the geocoder's answer");
}
