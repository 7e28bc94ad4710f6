// The event loop's out-of-line parts: coroutine events, the loop's iteration and its clock.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "harness/loop/event_loop.h"
#include "harness/runtime/execution.h"
#include "harness/sync/object.h"

namespace lab {
namespace detail {
namespace {
std::atomic<std::uint64_t> native_stall_ns{100'000'000};

/// The loops alive on this OS thread under the sim backend: one execution's fibers share an OS
/// thread, and parallel exploration runs one execution per OS thread.
std::vector<const event_loop*>& live_loops() {
  thread_local std::vector<const event_loop*> loops;
  return loops;
}
}  // namespace

void set_native_stall_threshold(std::chrono::nanoseconds d) {
  native_stall_ns.store(static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0)));
}

void coro_created(coro_identity& who, std::source_location defined_at) {
  auto* ex = rt::execution::current();
  if (!ex || ex->aborting()) return;
  who.generation = ex->generation();
  who.id = ex->register_object({.kind = object_kind::coro_task}, defined_at.function_name(), defined_at);
  ex->emit(op::coro_created, who.id, defined_at);
}

void coro_event(op kind, const coro_identity& who, std::uint64_t arg, std::source_location loc) {
  auto* ex = rt::execution::current();
  if (!ex || ex->aborting() || who.generation != ex->generation()) return;
  ex->emit(kind, who.id, loc, arg);
}

bool take_cancel(task_state* in) noexcept {
  if (!in || !in->cancel_requested) return false;
  in->cancel_requested = false;
  return true;
}

bool is_cancelled(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const cancelled_error&) {
    return true;
  } catch (...) {
    return false;
  }
}

void rethrow_if_abort() {
  try {
    throw;
  } catch (const rt::abort_execution&) {
    throw;
  } catch (...) {
  }
}

}  // namespace detail

event_loop::event_loop(const char* name, std::size_t executor_threads, std::source_location loc)
    : declared_at_(loc),
      id_{0, no_object, name, loc},
      executor_threads_(executor_threads),
      inbox_m_("loop.inbox_m", loc),
      inbox_cv_("loop.inbox_cv", loc),
      soon_count_(0, "loop.callbacks", loc) {
  if (rt::execution::current()) detail::live_loops().push_back(this);
}

event_loop::~event_loop() {
  std::erase(detail::live_loops(), this);
  executor_.reset();  // lets queued executor jobs finish while the tasks they resume still exist
  ready_.clear();
  timers_.clear();
  // Destroy the pending tasks' frames first: frames may hold task_handles of one another (GCC
  // keeps a copy of an awaited lvalue in the frame), and such a cycle would keep them all alive.
  for (auto& t : tasks_) t->destroy_frame();
  tasks_.clear();
}

std::uint64_t event_loop::clock_ns() const {
  if (auto* ex = rt::execution::current()) return ex->now();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

thread_pool& event_loop::executor() {
  if (!executor_) executor_ = std::make_unique<thread_pool>(executor_threads_, "executor", declared_at_);
  return *executor_;
}

std::shared_ptr<detail::task_state> event_loop::owner_of(detail::task_state* in) const {
  if (!in || in->promise->loop != this)
    throw std::logic_error("lab::event_loop: an awaiter of a task that is not running on this loop");
  return in->shared_from_this();
}

void event_loop::adopt(std::shared_ptr<detail::task_state> s, std::source_location loc) {
  detail::promise_base& p = *s->promise;
  if (p.started) throw std::logic_error("lab::event_loop::spawn: this task was already awaited or spawned");
  p.loop = this;
  p.state = s.get();
  p.started = true;
  std::uint64_t loop_id = no_object;
  if (auto* ex = rt::execution::current(); ex && !ex->aborting()) {
    id_.refresh(*ex, object_kind::event_loop);
    loop_id = id_.id;
  }
  detail::coro_event(op::coro_scheduled, p.self, loop_id, loc);
  tasks_.push_back(s);
  ready_.push_back({s->root, std::move(s), clock_ns()});
}

void event_loop::make_ready(std::coroutine_handle<> h, detail::task_state* in) {
  ready_.push_back({h, owner_of(in), clock_ns()});
}

void event_loop::call_later(std::chrono::nanoseconds d, std::coroutine_handle<> h, detail::task_state* in) {
  if (in && in->cancel_requested) return make_ready(h, in);  // a cancelled task does not wait
  auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0));
  timers_.emplace(clock_ns() + ns, entry{h, owner_of(in), 0});
}

void event_loop::call_soon(std::function<void()> f, std::source_location loc) {
  soon_.push_back(std::move(f));
  soon_count_.store(soon_count_.load(loc) + 1, loc);
}

void event_loop::call_soon_threadsafe(std::function<void()> f, std::source_location loc) {
  lab::lock_guard<lab::mutex> hold(located_ref<lab::mutex>(inbox_m_, loc));
  inbox_.push_back(std::move(f));
  inbox_cv_.notify_one(loc);
}

void event_loop::cancel_orphans(const detail::task_state& main) {
  auto* ex = rt::execution::current();
  for (const auto& t : tasks_) {
    detail::promise_base& p = *t->promise;
    detail::coro_event(op::coro_orphaned, p.self, main.promise->self.id, p.defined_at);
    if (!ex)
      detail::native_report({.kind = verdict::task_orphaned,
                             .message = fmt::format("task '{}' was still running when '{}' finished: cancelled",
                                                    coroutine_name(p.defined_at.function_name()),
                                                    coroutine_name(main.promise->defined_at.function_name())),
                             .loc = p.defined_at});
  }
  auto pending = tasks_;  // holds the orphans until all have ended (their frames drop together)
  for (const auto& t : pending) cancel(*t);
  drive(nullptr);
}

void event_loop::drive(const detail::task_state* until_done) {
  while (until_done ? !until_done->finished : !tasks_.empty()) {
    for (std::uint64_t now = clock_ns(); !timers_.empty() && timers_.begin()->first <= now;) {
      entry e = std::move(timers_.begin()->second);
      e.ready_at = timers_.begin()->first;
      timers_.erase(timers_.begin());
      ready_.push_back(std::move(e));
    }
    if (soon_count_.load(declared_at_) > 0) {
      std::vector<std::function<void()>> calls;
      calls.swap(soon_);
      soon_count_.store(0, declared_at_);
      for (auto& f : calls) f();
    }
    if (external_ > 0 || ready_.empty()) {  // only then can the inbox hold anything that matters
      std::vector<std::function<void()>> calls;
      {
        lab::unique_lock<lab::mutex> lk(inbox_m_);
        calls.swap(inbox_);
      }
      for (auto& f : calls) f();
    }
    if (ready_.empty()) {
      wait_for_work();
      continue;
    }
    std::size_t i = 0;
    if (auto* ex = rt::execution::current()) i = ex->choose(ready_.size(), choice_kind::ready_task);
    entry e = std::move(ready_[i]);
    ready_.erase(ready_.begin() + static_cast<std::ptrdiff_t>(i));
    step(std::move(e));
  }
}

void event_loop::step(entry e) {
  detail::promise_base& p = *e.task->promise;
  auto* ex = rt::execution::current();
  if (ex && !ex->schedule_point({op::coro_resumed, p.self.generation == ex->generation() ? p.self.id : no_object}, p.defined_at))
    return;
  detail::coro_event(op::coro_resumed, p.self, e.ready_at, p.defined_at);
  std::uint64_t began = clock_ns();
  bool done = false;
  if (!e.task->ran && e.task->cancel_requested) {
    // Cancelled before its first step: its body never runs (asyncio throws CancelledError into
    // the coroutine before its first line).
    p.error = std::make_exception_ptr(cancelled_error());
    e.task->cancel_requested = false;
    done = true;
  } else {
    e.task->ran = true;
    e.h.resume();
    done = e.task->root.done();
  }
  step_end ended = !done                            ? step_end::awaiting
                   : !p.error                        ? step_end::finished
                   : detail::is_cancelled(p.error)   ? step_end::cancelled
                                                     : step_end::failed;
  detail::coro_event(op::coro_suspended, p.self, arg_of(ended), p.defined_at);
  if (!ex) {
    std::uint64_t took = clock_ns() - began, limit = detail::native_stall_ns.load();
    if (limit != 0 && took >= limit)
      detail::native_report({.kind = verdict::loop_stall,
                             .message = fmt::format("a step of task {} held the event loop for {:.3f} ms",
                                                    p.defined_at.function_name(), static_cast<double>(took) / 1e6),
                             .loc = p.defined_at});
  }
  if (!done) return;
  e.task->finished = true;
  for (const auto& w : e.task->waiters) make_ready(w.h, w.in);
  e.task->waiters.clear();
  if (e.task->on_done) e.task->on_done(*e.task);
  std::erase_if(tasks_, [&](const auto& t) { return t == e.task; });
}

bool event_loop::cancel(detail::task_state& s) {
  if (s.finished) return false;
  s.cancel_requested = true;
  // Wake it where it waits: an async primitive or an executor job, a timer, another task's end.
  if (detail::parking* p = s.parked_on) {
    p->withdraw(s);
    return true;
  }
  for (auto it = timers_.begin(); it != timers_.end(); ++it)
    if (it->second.task.get() == &s) {
      entry e = std::move(it->second);
      timers_.erase(it);
      e.ready_at = clock_ns();
      ready_.push_back(std::move(e));
      return true;
    }
  for (const auto& t : tasks_) {
    auto& ws = t->waiters;
    for (auto it = ws.begin(); it != ws.end(); ++it)
      if (it->in == &s) {
        std::coroutine_handle<> h = it->h;
        ws.erase(it);
        make_ready(h, &s);
        return true;
      }
  }
  return true;
}

void task_group::child_done(detail::task_state& s) {
  if (first_ || !s.promise->error || detail::is_cancelled(s.promise->error)) return;
  first_ = s.promise->error;
  for (const auto& c : children_)
    if (c.get() != &s) loop_->cancel(*c);
}

namespace {
/// Awaits the end of Task `s` without taking its result; marks its outcome retrieved.
struct settle_state {
  detail::task_state* s;  // raw: the group keeps it alive (and see task_handle::awaiter)
  bool await_ready() const noexcept { return s->finished; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) {
    s->waiters.push_back({h, static_cast<detail::promise_base&>(h.promise()).state});
  }
  void await_resume() const {
    s->promise->retrieved = true;
    detail::coro_event(op::coro_retrieved, s->promise->self, 0, s->promise->defined_at);
  }
};
}  // namespace

task<int> task_group::join() {
  int ended = 0;
  for (std::size_t i = 0; i < children_.size(); ++i) {  // children may be added meanwhile
    co_await settle_state{children_[i].get()};
    ++ended;
  }
  if (first_) std::rethrow_exception(first_);
  co_return ended;
}

void event_loop::wait_for_work() {
  lab::unique_lock<lab::mutex> lk(inbox_m_);
  if (!inbox_.empty()) return;
  if (!timers_.empty()) {
    std::uint64_t now = clock_ns(), due = timers_.begin()->first;
    if (due > now) inbox_cv_.wait_for(lk, std::chrono::nanoseconds(due - now));
    return;
  }
  // Nothing is ready and no timer is set: only another thread can wake the loop now. When none
  // will, the tasks wait forever, as asyncio's would (the sim backend reports the stall).
  inbox_cv_.wait(lk);
}

std::vector<loop_queue_view> live_loop_queues() {
  std::vector<loop_queue_view> out;
  auto* ex = rt::execution::current();
  if (!ex) return out;
  auto id_of = [ex](const detail::task_state* t) {
    return t && t->promise && t->promise->self.generation == ex->generation() ? t->promise->self.id : no_object;
  };
  for (const event_loop* l : detail::live_loops()) {
    loop_queue_view v;
    v.loop = l->id_.generation == ex->generation() ? l->id_.id : no_object;
    v.name = l->id_.name ? l->id_.name : "loop";
    for (const auto& e : l->ready_)
      if (object_id k = id_of(e.task.get()); k != no_object) v.ready.push_back(k);
    for (const auto& [due, e] : l->timers_)
      if (object_id k = id_of(e.task.get()); k != no_object) v.sleeping.emplace_back(k, due);
    for (const auto& t : l->tasks_) {
      for (const auto& w : t->waiters)
        if (object_id k = id_of(w.in); k != no_object && id_of(t.get()) != no_object) v.awaiting.emplace_back(k, id_of(t.get()));
      if (t->parked_on || t->keep_alive)
        if (object_id k = id_of(t.get()); k != no_object) v.parked.push_back(k);
    }
    v.callbacks = l->soon_.size();
    v.executor_jobs = l->external_;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace lab
