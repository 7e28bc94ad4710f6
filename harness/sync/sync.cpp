// The out-of-line parts of the sync primitives: simulated mutex and condition-variable logic,
// threads, and the native backend's finding log.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <cstdio>
#include <mutex>
#include <system_error>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>

#include "harness/sync/condition_variable.h"
#include "harness/sync/mutex.h"
#include "harness/sync/process.h"
#include "harness/sync/thread.h"

namespace lab {
namespace detail {

namespace {
std::mutex native_log_mutex;
std::vector<finding>& native_log() {
  static std::vector<finding> log;
  return log;
}
}  // namespace

void native_report(finding f) {
  std::lock_guard g(native_log_mutex);
  native_log().push_back(std::move(f));
}

std::vector<finding> native_take_findings() {
  std::lock_guard g(native_log_mutex);
  return std::exchange(native_log(), {});
}

namespace {
std::atomic<double> native_work_scale{1.0};
}  // namespace

void set_native_work_scale(double factor) { native_work_scale.store(factor < 0 ? 0 : factor); }

std::atomic<std::uint32_t> native_jitter_ppm{0};

void set_native_jitter(double probability) {
  probability = std::clamp(probability, 0.0, 1.0);
  native_jitter_ppm.store(static_cast<std::uint32_t>(probability * 1e6));
}

void native_jitter_slow() {
  // xorshift64, seeded per thread from its address and a clock: runs are meant to differ.
  thread_local std::uint64_t state = [] {
    std::uint64_t s = reinterpret_cast<std::uintptr_t>(&state) ^
                      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    return s ? s : 0x9E3779B97F4A7C15ULL;
  }();
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  auto roll = static_cast<std::uint32_t>(state % 10'000'000);  // in tenths of a ppm
  std::uint32_t p = native_jitter_ppm.load(std::memory_order_relaxed);
  if (roll < p) std::this_thread::sleep_for(std::chrono::microseconds(1 + (state >> 40) % 100));
  else if (roll < 10 * p) std::this_thread::yield();
}

sample_store& native_samples() {
  static sample_store s;  // guarded by native_log_mutex
  return s;
}

sample_store native_take_samples() {
  std::lock_guard g(native_log_mutex);
  return std::exchange(native_samples(), {});
}

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

void yield_at(std::source_location loc) { this_thread::yield(loc); }

void mutex_core::refresh(rt::execution& ex) {
  if (id_.refresh(ex, recursive_ ? object_kind::recursive_mutex : object_kind::mutex)) {
    owner_ = no_thread;
    depth_ = 0;
    handed_off_ = false;
    forks_seen_ = 0;
  }
  note_fork(ex);
}

void mutex_core::note_fork(rt::execution& ex) {
  if (forks_seen_ != ex.forks()) {  // nothing changed the state since the fork: it is the state at the fork
    forks_seen_ = ex.forks();
    owner_at_fork_ = owner_;
    depth_at_fork_ = depth_;
  }
}

void mutex_core::copy_refresh(rt::execution& ex, std::source_location loc) {
  thread_id me = ex.self();
  if (copy_id_.refresh(ex, recursive_ ? object_kind::recursive_mutex : object_kind::mutex)) {
    bool forker_held = owner_at_fork_ != no_thread && owner_at_fork_ == ex.forker_of(ex.process_of(me));
    copy_owner_ = forker_held ? me : owner_at_fork_;
    copy_depth_ = depth_at_fork_;
    // The detectors learn that the child's thread holds its copy, as the forker held the original.
    for (std::uint32_t i = 0; forker_held && i < copy_depth_; ++i) ex.emit(op::lock_acquired, copy_id_.id, loc, 2);
  }
}

bool mutex_core::copy_acquire(rt::execution& ex, std::source_location loc, bool try_only) {
  copy_refresh(ex, loc);
  thread_id me = ex.self();
  if (copy_owner_ == no_thread || (recursive_ && copy_owner_ == me)) {
    if (copy_owner_ == me) ++copy_depth_;
    else copy_owner_ = me, copy_depth_ = 1;
    ex.emit(op::lock_acquired, copy_id_.id, loc, try_only ? 1 : 0);
    return true;
  }
  if (try_only) {
    ex.emit(op::try_lock_failed, copy_id_.id, loc);
    return false;
  }
  if (copy_owner_ == me)  // a relock in the child: the one-thread deadlock, as in the parent
    ex.emit(op::lock_blocked, copy_id_.id, loc);
  else
    ex.emit(op::lock_inherited, copy_id_.id, loc, (std::uint64_t{id_.id} << 32) | copy_owner_);
  while (ex.block(rt::key_of(copy_id_.id))) {
  }
  return false;
}

void mutex_core::copy_release(rt::execution& ex, std::source_location loc) {
  copy_refresh(ex, loc);
  if (copy_owner_ == ex.self() && copy_depth_ > 1) --copy_depth_;
  else copy_owner_ = no_thread, copy_depth_ = 0;
  ex.emit(op::unlock, copy_id_.id, loc);
  ex.wake_all(rt::key_of(copy_id_.id));
}

void mutex_core::sim_lock(rt::execution& ex, std::source_location loc) {
  if (!ex.schedule_point(loc)) return;
  sim_acquire(ex, loc);
}

void mutex_core::sim_acquire(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  thread_id me = ex.self();
  if (ex.process_of(me) != 0) {
    copy_acquire(ex, loc, false);
    return;
  }
  if (recursive_ && owner_ == me) {
    ++depth_;
    ex.emit(op::lock_acquired, id_.id, loc);
    return;
  }
  // A non-recursive owner relocking lands here too and blocks forever, as it would for real.
  while (owner_ != no_thread) {
    if (owner_ == me && handed_off_) {  // unlock handed it over while this thread waited
      handed_off_ = false;
      ex.emit(op::lock_acquired, id_.id, loc);
      return;
    }
    ex.emit(op::lock_blocked, id_.id, loc);
    if (!ex.block(rt::key_of(id_.id))) return;
  }
  note_fork(ex);  // a fork while this thread was blocked saw the mutex as it was then
  owner_ = me;
  depth_ = 1;
  ex.emit(op::lock_acquired, id_.id, loc);
}

bool mutex_core::sim_try_lock(rt::execution& ex, std::source_location loc) {
  if (!ex.schedule_point(loc)) return false;
  refresh(ex);
  thread_id me = ex.self();
  if (ex.process_of(me) != 0) return copy_acquire(ex, loc, true);
  if (owner_ == no_thread || (recursive_ && owner_ == me)) {
    if (owner_ == me) ++depth_;
    else owner_ = me, depth_ = 1;
    ex.emit(op::lock_acquired, id_.id, loc, 1);
    return true;
  }
  ex.emit(op::try_lock_failed, id_.id, loc);
  return false;
}

void mutex_core::sim_unlock(rt::execution& ex, std::source_location loc) {
  if (!ex.release_point(loc)) return;
  sim_release(ex, loc);
}

void mutex_core::sim_release(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  if (ex.process_of(ex.self()) != 0) return copy_release(ex, loc);
  if (owner_ == ex.self() && depth_ > 1) {
    --depth_;
    ex.emit(op::unlock, id_.id, loc);
    return;
  }
  // An unlock by a non-owner releases anyway, as glibc does; the misuse detector reports it.
  owner_ = no_thread;
  depth_ = 0;
  ex.emit(op::unlock, id_.id, loc);
  if (handoff_) {
    thread_id next = ex.wake_one(rt::key_of(id_.id));
    if (next != no_thread) {
      owner_ = next;
      depth_ = 1;
      handed_off_ = true;
    }
    return;
  }
  ex.wake_all(rt::key_of(id_.id));
}

void native_ticket_mutex::lock() {
  std::unique_lock lk(m_);
  std::uint64_t me = next_++;
  cv_.wait(lk, [&] { return serving_ == me; });
}

bool native_ticket_mutex::try_lock() {
  std::lock_guard g(m_);
  if (next_ != serving_) return false;
  ++next_;
  return true;
}

void native_ticket_mutex::unlock() {
  std::lock_guard g(m_);
  ++serving_;
  cv_.notify_all();
}

void mutex_core::sim_destroy() {
  auto* ex = rt::execution::current();
  if (ex && !ex->aborting() && id_.live_in(*ex) && owner_ != no_thread)
    ex->emit(op::mutex_destroyed, id_.id, id_.declared_at);
}

}  // namespace detail

void condition_variable::sim_notify(rt::execution& ex, bool all, std::source_location loc) {
  if (!ex.release_point(loc)) return;
  id_.refresh(ex, object_kind::condition_variable);
  auto key = rt::key_of(id_.id);
  std::uint32_t waiting = ex.waiters(key);
  if (all) ex.wake_all(key);
  else ex.wake_one(key);
  ex.emit(all ? op::cv_notify_all : op::cv_notify_one, id_.id, loc, waiting);
}

object_id condition_variable::sim_object() {
  auto* ex = rt::execution::current();
  if (!ex) return no_object;
  id_.refresh(*ex, object_kind::condition_variable);
  return id_.id;
}

void condition_variable::notify_one(std::source_location loc) {
  if (auto* ex = rt::execution::current()) sim_notify(*ex, false, loc);
  else {
    detail::native_jitter();
    native_.notify_one();
  }
}

void condition_variable::notify_all(std::source_location loc) {
  if (auto* ex = rt::execution::current()) sim_notify(*ex, true, loc);
  else {
    detail::native_jitter();
    native_.notify_all();
  }
}

// One wait, sim backend. With a timeout (virtual ns, counted from after the scheduling point)
// it is a timed wait; without one it may wake spuriously, a recorded choice. cv_woken's arg: 1
// spurious, 2 timed out. Returns whether it timed out (or the execution is being torn down).
bool condition_variable::sim_wait(rt::execution& ex, unique_lock<mutex>& lock, std::optional<std::uint64_t> timeout_ns,
                                  std::source_location loc) {
  if (!ex.schedule_point(loc)) return true;
  id_.refresh(ex, object_kind::condition_variable);
  mutex& m = *lock.mutex();
  m.sim_release(ex, loc);
  ex.emit(op::cv_wait, id_.id, loc);
  std::uint64_t woken = 0;
  if (timeout_ns) {
    if (!ex.block_until(rt::key_of(id_.id), ex.now() + *timeout_ns)) return true;
    if (ex.timed_out()) woken = 2;
  } else if (ex.choose(2, choice_kind::spurious_wakeup) == 1) {
    woken = 1;
  } else if (!ex.block(rt::key_of(id_.id))) {
    return true;
  }
  ex.emit(op::cv_woken, id_.id, loc, woken);
  m.sim_acquire(ex, loc);
  return woken == 2;
}

void condition_variable::wait(unique_lock<mutex>& lock, std::source_location loc) {
  if (auto* ex = rt::execution::current()) sim_wait(*ex, lock, std::nullopt, loc);
  else {
    detail::native_jitter();
    native_.wait(lock);
  }
}

std::cv_status condition_variable::wait_for(unique_lock<mutex>& lock, std::chrono::nanoseconds d,
                                            std::source_location loc) {
  auto* ex = rt::execution::current();
  if (!ex) return native_.wait_for(lock, d);
  auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0));
  return sim_wait(*ex, lock, ns, loc) ? std::cv_status::timeout : std::cv_status::no_timeout;
}

std::chrono::nanoseconds condition_variable::now_ns() { return lab::now(); }

bool thread::joinable() const noexcept { return native_.joinable() || sim_ != no_thread; }

namespace {
/// Joins simulated thread `t` of the execution of `generation` (a thread or a forked child).
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
}  // namespace

void thread::join(std::source_location loc) {
  if (!joinable()) throw std::system_error(std::make_error_code(std::errc::invalid_argument), "thread::join");
  if (native_.joinable()) {
    native_.join();
    return;
  }
  sim_join(std::exchange(sim_, no_thread), generation_, loc);
}

int process::wait(std::source_location loc) {
  if (sim_ != no_thread) {
    sim_join(std::exchange(sim_, no_thread), generation_, loc);
    return 0;
  }
  if (pid_ <= 0) throw std::system_error(std::make_error_code(std::errc::no_child_process), "process::wait");
  return detail::native_wait_process(std::exchange(pid_, -1));
}

namespace detail {
int native_fork() {
  std::fflush(nullptr);  // or the child writes the parent's buffered output a second time
  int pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  return pid;
}

int native_wait_process(int pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
}  // namespace detail

void thread::detach() {
  if (!joinable()) throw std::system_error(std::make_error_code(std::errc::invalid_argument), "thread::detach");
  if (native_.joinable()) native_.detach();
  sim_ = no_thread;
}

namespace this_thread {

void yield(std::source_location loc) {
  if (auto* ex = rt::execution::current()) {
    ex->let_time_pass(10'000);  // a spin round costs ~10 us of (virtual) CPU time
    if (!ex->schedule_point(loc, true)) return;
    ex->emit(op::yield, no_object, loc);
    return;
  }
  std::this_thread::yield();
}

void sleep_for(std::chrono::nanoseconds d, std::source_location loc) {
  if (auto* ex = rt::execution::current()) {
    if (!ex->schedule_point(loc)) return;
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
    if (!ex->schedule_point(loc)) return;
    ex->emit(op::work, no_object, loc, ns);
    ex->sleep_until(ex->now() + ns);
    return;
  }
  auto until = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::nanoseconds>(d * detail::native_work_scale.load());
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
  std::lock_guard g(detail::native_log_mutex);
  detail::native_samples().add(name, ns);
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
