// blocking_library_call: a coroutine calls a synchronous third-party library.
#include "scenarios/blocking_library_call/legacy_geocoder.h"
#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

/// A handler geocodes an address with a library that only has a blocking API. Broken: it calls
/// the library from the coroutine; nothing in the handler's own code looks slow. Fixed: the call
/// goes to the executor (loop.run_in_executor), the coroutine awaits it.
template <bool Offload>
task<int> geocode(event_loop* loop) {
  std::string where;
  if constexpr (Offload) where = co_await loop->run_in_executor([] { return legacy_geocoder::lookup("Paris"); });
  else where = legacy_geocoder::lookup("Paris");
  co_return static_cast<int>(where.size());
}

template <bool Offload>
void run() {
  serve_with_heartbeat(&geocode<Offload>, 10);
}

}  // namespace

void add_blocking_library_call(std::vector<scenario>& out) {
  constexpr std::string_view mode = "blocking the event loop";
  out.push_back({"blocking_library_call", "broken", mode, verdict::loop_stall,
                 "a synchronous third-party call inside a coroutine blocks the loop for 250 ms", &run<false>});
  out.push_back({"blocking_library_call", "fixed", mode, verdict::clean,
                 "the library call runs in the executor; the coroutine awaits it", &run<true>});
}

}  // namespace lab::scenarios
