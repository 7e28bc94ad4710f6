#include "harness/explore/native_runner.h"

#include "harness/loop/event_loop.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "harness/sync/thread.h"

namespace lab {
namespace {

/// Completion flag shared with a run's thread; shared_ptr so a hung run can outlive us safely.
struct completion {
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
};

}  // namespace

run_report run_native(std::string_view name, void (*body)(), const options& opts, bool& hung) {
  auto t0 = std::chrono::steady_clock::now();
  run_report rep;
  rep.scenario = std::string(name);
  rep.backend = "native";
  rep.strategy = "os";
  rep.seed = 0;
  hung = false;
  detail::native_take_findings();
  detail::native_take_samples();
  detail::set_native_work_scale(opts.work_scale);
  detail::set_native_jitter(opts.jitter);
  // A supervising conlab (conlab native, conlab compare) reads these lines from our stderr to
  // tell which run a tool's report belongs to; see sanitizers/native_tools.h.
  const bool marks = std::getenv("CONLAB_NATIVE_MARKS") != nullptr;
  detail::set_native_stall_threshold(std::chrono::nanoseconds(static_cast<std::int64_t>(opts.stall_ms * 1e6)));
  std::uint64_t runs = std::max<std::uint64_t>(opts.runs, 1);
  for (std::uint64_t i = 0; i < runs; ++i) {
    auto c = std::make_shared<completion>();
    std::thread worker([body, c] {
      detail::native_thread_body([](void* b) { reinterpret_cast<void (*)()>(b)(); }, reinterpret_cast<void*>(body),
                                 std::source_location::current());
      std::lock_guard g(c->m);
      c->done = true;
      c->cv.notify_all();
    });
    ++rep.stats.executions;
    if (marks) fmt::print(stderr, "{}run {} of {}\n", native_mark, i + 1, runs);
    std::unique_lock lk(c->m);
    bool finished = c->cv.wait_for(lk, std::chrono::duration<double>(opts.timeout), [&] { return c->done; });
    lk.unlock();
    if (!finished) {
      worker.detach();
      hung = true;
      rep.result = verdict::timeout;
      rep.schedule = i;
      rep.findings.push_back({.kind = verdict::timeout,
                              .message = fmt::format("run {} did not finish within {} s (a deadlock or a lost wakeup?)",
                                                     i + 1, opts.timeout)});
      break;
    }
    worker.join();
    auto found = detail::native_take_findings();
    if (!found.empty()) {
      rep.result = found.front().kind;
      rep.schedule = i;
      rep.findings = std::move(found);
      rep.reproduced = false;
      if (marks)
        fmt::print(stderr, "{}finding in run {}: {}: {}\n", native_mark, i + 1, to_string(rep.result),
                   rep.findings.front().message);
      break;
    }
  }
  if (rep.findings.empty())
    rep.note = fmt::format("no finding in {} native run(s); data races need the tsan build to be seen", rep.stats.executions);
  rep.measurements = detail::native_take_samples().summaries();  // real time: never in goldens
  rep.measured_executions = rep.stats.executions;
  rep.stats.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace lab
