#include "harness/sync/thread.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <system_error>

namespace lab {
namespace detail {

void native_thread_body(void (*invoke)(void*), void* fn, std::source_location created_at) {
  try {
    invoke(fn);
  } catch (const std::exception& e) {
    native_report({.kind = verdict::uncaught_exception,
                   .message = fmt::format("an exception escaped a thread: {}", e.what()),
                   .loc = created_at});
  } catch (...) {
    native_report({.kind = verdict::uncaught_exception,
                   .message = "an exception of unknown type escaped a thread",
                   .loc = created_at});
  }
}

void joinable_destroyed(std::source_location created_at) {
  finding f{.kind = verdict::crash,
            .message = "a joinable thread was destroyed: the real program calls std::terminate",
            .loc = created_at};
  if (auto* ex = rt::execution::current()) {
    if (ex->aborting()) return;
    f.thread = ex->self();
    f.step = ex->step();
    ex->terminate_thread(std::move(f));
  }
  std::fprintf(stderr, "conlab: %s (thread created at %s:%u)\n", f.message.c_str(), created_at.file_name(),
               static_cast<unsigned>(created_at.line()));
  std::terminate();
}

}  // namespace detail

bool thread::joinable() const noexcept { return native_.joinable() || sim_ != no_thread; }

namespace detail {
void sim_join(thread_id t, std::uint64_t generation, std::source_location loc) {
  auto* ex = rt::execution::current();
  if (!ex || ex->generation() != generation) return;  // its execution is over
  if (!ex->local_point(loc)) return;
  while (!ex->finished(t)) {
    ex->emit(op::join_blocked, no_object, loc, t);
    if (!ex->block(rt::join_key(t))) return;
  }
  ex->emit(op::thread_join, no_object, loc, t);
}
}  // namespace detail

void thread::join(std::source_location loc) {
  if (!joinable()) throw std::system_error(std::make_error_code(std::errc::invalid_argument), "thread::join");
  if (native_.joinable()) {
    native_.join();
    return;
  }
  detail::sim_join(std::exchange(sim_, no_thread), generation_, loc);
}

void thread::detach() {
  if (!joinable()) throw std::system_error(std::make_error_code(std::errc::invalid_argument), "thread::detach");
  if (native_.joinable()) native_.detach();
  sim_ = no_thread;
}

namespace this_thread {

void yield(std::source_location loc) {
  if (auto* ex = rt::execution::current()) {
    ex->let_time_pass(10'000);  // a spin round costs ~10 us of (virtual) CPU time
    if (!ex->schedule_point({op::yield, no_object}, loc, true)) return;
    ex->emit(op::yield, no_object, loc);
    return;
  }
  std::this_thread::yield();
}

void sleep_for(std::chrono::nanoseconds d, std::source_location loc) {
  if (auto* ex = rt::execution::current()) {
    if (!ex->schedule_point({op::sleep, no_object}, loc)) return;
    auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0));
    ex->emit(op::sleep, no_object, loc, ns);
    ex->sleep_until(ex->now() + ns);
    return;
  }
  std::this_thread::sleep_for(d);
}

void work(std::chrono::nanoseconds d, std::source_location loc) {
  auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0));
  if (auto* ex = rt::execution::current()) {
    if (!ex->schedule_point({op::work, no_object}, loc)) return;
    ex->emit(op::work, no_object, loc, ns);
    ex->sleep_until(ex->now() + ns);
    return;
  }
  auto until = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::nanoseconds>(d * detail::native_work_scale());
  while (std::chrono::steady_clock::now() < until) {
  }
}

}  // namespace this_thread

std::chrono::nanoseconds now() {
  if (auto* ex = rt::execution::current()) return std::chrono::nanoseconds(ex->now());
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch());
}

void record_latency(std::string_view name, std::chrono::nanoseconds d) {
  auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0));
  if (auto* ex = rt::execution::current()) {
    if (!ex->aborting()) ex->record_sample(name, ns);
    return;
  }
  detail::native_record_sample(name, ns);
}

void expect_within(std::string_view what, std::chrono::nanoseconds took, std::chrono::nanoseconds budget,
                   std::source_location loc) {
  record_latency(what, took);
  // Natively the budget is not checked: real time on a loaded machine (and work scaled by
  // --work-scale) is not the time the budget was written for; the sample is still reported.
  if (took <= budget || !rt::execution::current()) return;
  auto ms = [](std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; };
  finding f{.kind = verdict::slowdown,
            .message = fmt::format("'{}' took {:.3f} ms, over its budget of {:.3f} ms ({:.1f}x)", what, ms(took),
                                   ms(budget), budget.count() > 0 ? ms(took) / ms(budget) : 0.0),
            .loc = loc};
  if (auto* ex = rt::execution::current()) {
    if (ex->aborting()) return;
    f.thread = ex->self();
    f.step = ex->step();
    ex->emit(op::over_budget, no_object, loc, static_cast<std::uint64_t>(took.count()));
    ex->report(std::move(f));
  }
}

void assert_that(bool condition, const char* what, std::source_location loc) {
  if (condition) return;
  finding f{.kind = verdict::assertion_failed,
            .message = *what ? fmt::format("assertion failed: {}", what) : std::string("assertion failed"),
            .loc = loc};
  if (auto* ex = rt::execution::current()) {
    if (ex->aborting()) return;
    f.thread = ex->self();
    f.step = ex->step();
    ex->emit(op::assertion, no_object, loc);
    ex->report(std::move(f));
    return;
  }
  detail::native_report(std::move(f));
}

}  // namespace lab
