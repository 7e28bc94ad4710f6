// cpu_bound_in_loop: a coroutine computes for 400 ms on the loop's thread.
#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

int checksum(int blocks) {
  lab::this_thread::work(std::chrono::milliseconds(blocks * 100));  // 100 ms of CPU per block
  return blocks * 7;
}

/// A handler checksums an upload: 400 ms of CPU. Broken: it computes inside the coroutine, on
/// the loop's thread. Fixed: it hands the computation to the loop's executor (run_in_executor;
/// in Python a process pool, because of the GIL) and awaits the result.
template <bool Offload>
task<int> handle_upload(event_loop* loop) {
  if constexpr (Offload) co_return co_await loop->run_in_executor([] { return checksum(4); });
  else co_return checksum(4);
}

template <bool Offload>
void run() {
  serve_with_heartbeat(&handle_upload<Offload>, 28);
}

}  // namespace

void add_cpu_bound_in_loop(std::vector<scenario>& out) {
  constexpr std::string_view mode = "blocking the event loop";
  out.push_back({"cpu_bound_in_loop", "broken", mode, verdict::loop_stall,
                 "400 ms of CPU inside a coroutine: the loop serves nobody meanwhile", &run<false>});
  out.push_back({"cpu_bound_in_loop", "fixed", mode, verdict::clean,
                 "run_in_executor: the CPU work runs on a worker thread", &run<true>});
}

}  // namespace lab::scenarios
