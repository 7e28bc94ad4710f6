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

#include "harness/explore/explorer.h"
#include "harness/runtime/sanitizer_build.h"
#include "harness/sync/thread.h"

#if CONLAB_TSAN
// ThreadSanitizer calls this after it prints a report (a weak default in its runtime; the
// executable's definition wins). It runs inside the runtime's report path, so nothing in it is
// instrumented: one relaxed counter and the report's kind, the first field of its ReportDesc
// (tsan_report.h: ReportTypeRace .. ReportTypeExternalRace are races, ReportTypeDeadlock is a
// lock-order cycle).
namespace {
unsigned long tsan_reports = 0;
int tsan_last_kind = 0;
}  // namespace
extern "C" __attribute__((no_sanitize("thread"))) void __tsan_on_report(const void* report) {
  __atomic_store_n(&tsan_last_kind, report ? *static_cast<const int*>(report) : 0, __ATOMIC_RELAXED);
  __atomic_fetch_add(&tsan_reports, 1, __ATOMIC_RELAXED);
}
#endif

namespace lab {
namespace {

/// ThreadSanitizer's reports so far in this process (0 in other builds).
unsigned long sanitizer_reports() {
#if CONLAB_TSAN
  return __atomic_load_n(&tsan_reports, __ATOMIC_RELAXED);
#else
  return 0;
#endif
}

/// What ThreadSanitizer's latest report was, as the lab's verdict.
verdict sanitizer_verdict() {
#if CONLAB_TSAN
  int kind = __atomic_load_n(&tsan_last_kind, __ATOMIC_RELAXED);
  if (kind <= 4) return verdict::data_race;
  if (kind == 14) return verdict::lock_order_inversion;
  return verdict::mutex_misuse;
#else
  return verdict::clean;
#endif
}

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
    const unsigned long reports_before = sanitizer_reports();
    // Waits in slices, so that Ctrl-C ends a hung run at once (its threads cannot be stopped:
    // the caller leaves without running destructors under them, as at a timeout).
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(opts.timeout));
    std::unique_lock lk(c->m);
    bool finished = false, stopped = false;
    while (!finished && !stopped && std::chrono::steady_clock::now() < deadline) {
      finished = c->cv.wait_for(lk, std::chrono::milliseconds(100), [&] { return c->done; });
      stopped = !finished && stop_was_requested();
    }
    lk.unlock();
    if (stopped) {
      worker.detach();
      hung = true;
      rep.interrupted = true;
      break;
    }
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
    if (found.empty() && sanitizer_reports() != reports_before)
      found.push_back({.kind = sanitizer_verdict(),
                       .message = fmt::format("ThreadSanitizer reported a {} in run {} (its report is above, on stderr)",
                                              sanitizer_verdict() == verdict::data_race ? "data race"
                                              : sanitizer_verdict() == verdict::lock_order_inversion
                                                  ? "lock-order inversion"
                                                  : "misuse",
                                              i + 1)});
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
    if (stop_was_requested() && i + 1 < runs) {
      rep.interrupted = true;
      break;
    }
  }
  if (rep.findings.empty())
    rep.note = CONLAB_TSAN ? fmt::format("no finding in {} native run(s) under ThreadSanitizer", rep.stats.executions)
                           : fmt::format("no finding in {} native run(s); data races need ThreadSanitizer to be seen "
                                         "(conlab native --tool tsan)",
                                         rep.stats.executions);
  if (rep.interrupted && rep.findings.empty())
    rep.note += fmt::format("; interrupted after {} of {} runs", rep.stats.executions, runs);
  rep.measurements = detail::native_take_samples().summaries();  // real time: never in goldens
  rep.measured_executions = rep.stats.executions;
  rep.stats.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace lab
