#include "harness/runtime/execution.h"

#include "harness/runtime/memory_model.h"

#include <cxxabi.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <typeinfo>

namespace lab::rt {
namespace {

// Generations must be unique across all executions of the process, on every OS thread, yet
// taking one must not touch shared memory (parallel workers would fight over the cache line).
// Each OS thread reserves a block of 2^32 generations once.
std::atomic<std::uint64_t> next_generation_block{1};

std::uint64_t new_generation() {
  thread_local std::uint64_t next = 0, end = 0;
  if (next == end) {
    next = next_generation_block.fetch_add(1, std::memory_order_relaxed) << 32;
    end = next + (std::uint64_t{1} << 32);
  }
  return next++;
}


std::string demangled(const std::type_info& ti) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> p(abi::__cxa_demangle(ti.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && p ? std::string(p.get()) : std::string(ti.name());
}

}  // namespace

execution::execution(std::size_t stack_size) : stacks_(stack_size) {
  (void)os_threads_noticed();  // links harness/runtime/os_threads.cpp (its pthread_create) in
  objects_.reserve(64);
}

void execution::attach(event_sink* sink) {
  sink_ = sink;
  wanted_ = sink ? sink->interest() : 0;
  handlers_ = sink ? sink->handlers() : nullptr;
  if (sink && !handlers_) {
    on_event_table_.fill([](event_sink& s, const event& e) { s.on_event(e); });
    handlers_ = on_event_table_.data();
  }
  emitted_ = slow_events_ ? all_ops : wanted_;
}

void execution::record(const event& e) { history_.push_back(e); }

std::uint32_t execution::model_stale_window(object_id obj, atomic_order o) const {
  return memory_->stale_window(current_, obj, o);
}

std::uint32_t execution::model_store_places(object_id obj, atomic_order o, std::uint8_t* out) const {
  return memory_->store_places(current_, obj, o, out);
}

execution::~execution() {
  for (auto& r : threads_) fiber_detach_sanitizers(r.fib);
}

void execution::run(void (*body)(void*), void* arg, strategy& strat, const run_mode& mode) {
  strategy_ = &strat;
  max_steps_ = mode.max_steps;
  record_history_ = mode.history;
  record_choices_ = mode.record_choices;
  access_guard_ = mode.every_access ? 1 : spin_guard;
  observing_ = strat.observes();
  slow_events_ = record_history_ || observing_ || weak_memory_;
  emitted_ = slow_events_ ? all_ops : wanted_;
  if (weak_memory_) {
    if (!memory_) memory_ = std::make_unique<memory_model>();
    memory_->begin_execution();
  }
  generation_ = new_generation();
  nthreads_ = 0;
  forks_ = 0;
  current_ = no_thread;
  for (thread_set* s : {&runnable_, &sleeping_, &timed_, &live_, &on_objects_}) s->clear();
  wait_seq_ = 0;
  step_ = 0;
  now_ = 0;
  aborting_ = false;
  choices_.clear();
  outcome_ = {};
  objects_.clear();
  history_.clear();
  if (sink_) sink_->begin_execution(mode.history);

  // T0 runs the body; its callable is the caller's function pointer and argument.
  auto& t0 = threads_[0];
  t0.invoke = body;
  t0.destroy = nullptr;
  t0.obj = arg;
  t0.heap = false;
  t0.parent = no_thread;
  t0.process = 0;
  t0.created_at = {};
  t0.abort_throws = 0;
  if (!t0.fib.stk.base) t0.fib.stk = stacks_.get(0);  // a slot keeps its stack
  t0.fib.entry = &thread_main;
  fiber_attach_sanitizers(t0.fib, false);
  fiber_start(t0.fib);
  next_[0] = {};
  next_loc_[0] = {};
  births_[0] = 0;
  nthreads_ = 1;
  live_.insert(thread_id{0});
  set_runnable(thread_id{0});

  fiber_attach_sanitizers(main_, true);
  execution* outer = current_execution;
  current_execution = this;
  current_ = thread_id{0};
  fiber_switch(main_, t0.fib);

  // Back on the OS thread's own stack: every thread finished, or the execution is aborting.
  if (aborting_) {
    // Children before parents: a child may hold references into its parent's frame.
    for (std::uint32_t i = nthreads_; i-- > 0;) {
      thread_id t{i};
      while (!finished(t)) {
        current_ = t;
        fiber_switch(main_, threads_[t].fib);
      }
    }
  } else if (sink_) {
    sink_->on_complete();
  }
  current_ = no_thread;
  current_execution = outer;
  outcome_.steps = step_;
  strat.end_execution(choices_.choice_count());
}

void execution::thread_main() {
  execution* ex = current_execution;
  ex->run_thread(ex->current_);
}

void execution::run_thread(thread_id t) {
  thread_record& r = threads_[t];
  if (!aborting_) {
    emit(op::thread_start, no_object, r.created_at, r.parent);
    try {
      r.invoke(r.obj);
    } catch (const abort_execution&) {
    } catch (const std::exception& e) {
      if (!aborting_)
        report(finding{.kind = verdict::uncaught_exception,
                       .message = fmt::format("exception {} escaped thread {}: {}", demangled(typeid(e)), t, e.what()),
                       .thread = t,
                       .step = step_,
                       .loc = r.created_at});
    } catch (...) {
      if (!aborting_)
        report(finding{.kind = verdict::uncaught_exception,
                       .message = fmt::format("an exception of unknown type escaped thread {}", t),
                       .thread = t,
                       .step = step_,
                       .loc = r.created_at});
    }
  }
  if (r.destroy) r.destroy(r.obj);
  if (r.heap) ::operator delete(r.obj, std::align_val_t{alignof(std::max_align_t)});
  r.destroy = nullptr;
  r.heap = false;
  r.state = run_state::finished;
  runnable_.erase(t);
  live_.erase(t);
  if (!aborting_) {
    wake_all(join_key(t));
    emit(op::thread_finish, no_object, r.created_at);
  }
  if (aborting_) to_main(true);
  thread_id next = pick(false);
  if (next == no_thread) to_main(true);
  current_ = next;
  fiber_switch(r.fib, threads_[next].fib, true);
  std::abort();  // a finished fiber is never resumed
}

thread_id execution::pick_when_none_runnable() {
  while (runnable_.empty()) {
    if (thread_set timers = sleeping_ | timed_; !timers.empty()) {
      std::uint64_t earliest = ~std::uint64_t{0};
      timers.for_each([&](thread_id t) { earliest = std::min(earliest, threads_[t].wake_at); });
      now_ = earliest;
      wake_due(timers);
      continue;
    }
    if (!live_.empty()) stall();
    return no_thread;
  }
  return pick(false);
}

thread_id execution::choose_thread(bool yielding) {
  lab::pick p = strategy_->next_thread({runnable_, current_, yielding, step_, next_.data()});
  if (record_choices_ && !runnable_.single()) record_choice(p.rank);
  return p.thread;
}

void execution::slow_event(const event& e) {
  if (weak_memory_) memory_->on_event(e);
  if (record_history_) record(e);
  if (observing_) strategy_->observe(e, e.object < objects_.size() ? objects_[e.object].birth : 0);
}

void execution::record_choice(std::uint32_t rank) { choices_.push(rank, member_count(runnable_)); }

void execution::stall() {
  if (sink_) sink_->on_stall(live_);
  if (!aborting_)  // no detector explained it (or only a finding that lets the execution run on)
    report(finding{.kind = verdict::deadlock, .message = "every unfinished thread is blocked", .step = step_});
}

void execution::reschedule(bool yielding) {
  unswitched_ = 0;
  thread_id next = pick(yielding);
  if (next == no_thread) {
    to_main(false);
  } else if (next != current_) {
    thread_id prev = current_;
    current_ = next;
    fiber_switch(threads_[prev].fib, threads_[next].fib);
  }
}

void execution::to_main(bool exiting) { fiber_switch(threads_[current_].fib, main_, exiting); }

bool execution::abort_here() {
  // Never throw while an exception is unwinding (a destructor calling unlock, say): the
  // operation is skipped instead.
  if (std::uncaught_exceptions() > 0) return false;
  thread_record& r = threads_[current_];
  if (++r.abort_throws > 100) {
    // The code under test swallows abort_execution; give up on unwinding this fiber.
    r.state = run_state::finished;
    runnable_.erase(current_);
    live_.erase(current_);
    to_main(true);
  }
  throw abort_execution{};
}


bool execution::step_limit_reached(std::source_location loc) {
  report(finding{.kind = verdict::step_limit,
                 .message = fmt::format("execution exceeded the step limit of {} steps", max_steps_),
                 .thread = current_,
                 .step = step_,
                 .loc = loc});
  return false;
}


bool execution::block(wait_key key) {
  if (aborting_) return abort_here();
  thread_record& r = threads_[current_];
  r.state = run_state::blocked;
  r.key = key;
  if (key >> 32 == 0) on_objects_.insert(current_);
  r.wait_seq = ++wait_seq_;
  r.timed_out = false;
  runnable_.erase(current_);
  reschedule(false);
  return aborting_ ? abort_here() : true;
}

bool execution::block_until(wait_key key, std::uint64_t deadline) {
  if (aborting_) return abort_here();
  thread_record& r = threads_[current_];
  if (deadline <= now_) {
    r.timed_out = true;
    return true;
  }
  r.wake_at = deadline;
  timed_.insert(current_);
  bool ok = block(key);
  timed_.erase(current_);
  return ok;
}

void execution::wake_due(const thread_set& due) {
  due.for_each([&](thread_id t) {
    if (threads_[t].wake_at > now_) return;
    if (threads_[t].state == run_state::blocked) {
      threads_[t].timed_out = true;
      timed_.erase(t);
    } else {
      sleeping_.erase(t);
    }
    set_runnable(t);
  });
}

std::uint32_t execution::wake_all(wait_key key) {
  std::uint32_t n = 0;
  for_each_blocked([&](thread_id t) {
    if (threads_[t].key == key && threads_[t].state == run_state::blocked) {
      set_runnable(t);
      ++n;
    }
  });
  return n;
}

thread_id execution::wake_one(wait_key key) {
  thread_id best = no_thread;
  for_each_blocked([&](thread_id t) {
    if (threads_[t].key == key && threads_[t].state == run_state::blocked &&
        (best == no_thread || threads_[t].wait_seq < threads_[best].wait_seq))
      best = t;
  });
  if (best != no_thread) set_runnable(best);
  return best;
}

std::uint32_t execution::waiters(wait_key key) const {
  std::uint32_t n = 0;
  for_each_blocked([&](thread_id t) {
    if (threads_[t].key == key && threads_[t].state == run_state::blocked) ++n;
  });
  return n;
}

bool execution::sleep_until(std::uint64_t until) {
  if (aborting_) return abort_here();
  if (until <= now_) return true;
  thread_record& r = threads_[current_];
  r.state = run_state::sleeping;
  r.wake_at = until;
  sleeping_.insert(current_);
  runnable_.erase(current_);
  reschedule(false);
  return aborting_ ? abort_here() : true;
}

void execution::let_time_pass(std::uint64_t ns) {
  if (sleeping_.empty() && timed_.empty()) return;
  now_ += ns;
  wake_due(sleeping_ | timed_);
}

std::uint64_t execution::choose(std::uint64_t bound, choice_kind kind) {
  if (bound < 2 || aborting_) return 0;
  std::uint64_t v = strategy_->next_value(bound, kind);
  if (record_choices_) choices_.push(v, bound);
  return v;
}

object_id execution::register_object(const object_traits& traits, const char* name, std::source_location loc,
                                     std::uint64_t birth) {
  auto id = static_cast<object_id>(objects_.size());
  objects_.push_back(object_record{traits, name, loc, birth != 0 ? birth : next_birth()});
  if (weak_memory_) memory_->on_object(id);
  if (sink_) sink_->on_object(id, traits);
  return id;
}

void execution::report(finding f) {
  if (is_potential(f.kind)) {
    if (!outcome_.potential) outcome_.potential = std::move(f);
    return;
  }
  bool fatal = !runs_to_end(f.kind);
  if (!outcome_.definite) {
    outcome_.definite = std::move(f);
    outcome_.events_at_finding = history_.size();
  }
  if (fatal) aborting_ = true;
}

void execution::terminate_thread(finding f) {
  report(std::move(f));
  aborting_ = true;
  thread_record& r = threads_[current_];
  r.state = run_state::finished;
  runnable_.erase(current_);
  live_.erase(current_);
  to_main(true);
  std::abort();
}

void* execution::spawn_storage(std::size_t size, std::size_t align) {
  if (nthreads_ >= max_threads) {
    finding f{.kind = verdict::crash,
              .message = fmt::format("more than {} threads in one execution", max_threads),
              .thread = current_,
              .step = step_};
    report(f);
    abort_here();                   // unwinds this thread, so its frames are released
    terminate_thread(std::move(f));  // already unwinding: abandon the thread instead
  }
  thread_record& r = threads_[nthreads_];
  r.heap = size > inline_callable || align > alignof(std::max_align_t);
  r.obj = r.heap ? ::operator new(size, std::align_val_t{alignof(std::max_align_t)}) : r.buf;
  return r.obj;
}

thread_id execution::spawn_commit(void (*invoke)(void*), void (*destroy)(void*), std::source_location loc) {
  thread_id t{nthreads_++};
  thread_record& r = threads_[t];
  r.invoke = invoke;
  r.destroy = destroy;
  r.parent = current_;
  r.process = current_ == no_thread ? 0 : threads_[current_].process;  // a child's threads stay in it
  r.created_at = loc;
  r.abort_throws = 0;
  if (!r.fib.stk.base) r.fib.stk = stacks_.get(t);  // a slot keeps its stack
  r.fib.entry = &thread_main;
  fiber_attach_sanitizers(r.fib, false);
  fiber_start(r.fib);
  next_[t] = {};
  next_loc_[t] = {};
  births_[t] = 0;
  live_.insert(t);
  set_runnable(t);
  emit(op::thread_spawn, no_object, loc, t);
  return t;
}

void execution::mark_forked(thread_id child, std::source_location loc) {
  forkers_[forks_] = current_;
  threads_[child].process = ++forks_;
  emit(op::process_fork, no_object, loc, child);
}

namespace {
/// A location in the standard library or the compiler's and the system's headers, in the lab's
/// own headers (a lab::thread made inside std::vector::emplace_back records a line of
/// <bits/stl_construct.h>), or none at all. Not "an absolute path": a project built outside the
/// lab's tree (CMake passes absolute paths) has its own files absolute too.
bool outside_project(const std::source_location& loc) {
  const std::string_view f = loc.file_name() ? loc.file_name() : "";
  if (f.empty()) return true;
  for (std::string_view system : {"/usr/include/", "/usr/lib/", "/usr/local/include/", "/usr/local/lib/"})
    if (f.starts_with(system)) return true;
  for (std::string_view part : {"/include/c++/", "/bits/", "/include/harness/"})
    if (f.find(part) != std::string_view::npos) return true;
  return f.starts_with("harness/");  // the lab's own headers, in its tree (file-prefix-mapped)
}

std::mutex os_thread_site_mutex;  // os_thread_started() may run on any exploring OS thread

}  // namespace

void execution::os_thread_started() {
  const std::source_location at = next_loc_[current_];
  std::lock_guard g(os_thread_site_mutex);
  if (os_thread_site_.empty())
    os_thread_site_ = at.line() != 0 ? fmt::format("T{} after its operation at {}:{}", current_.value, at.file_name(), at.line())
                                     : fmt::format("T{} before its first operation", current_.value);
  foreign_thread();
}

std::string execution::take_os_thread_site() {
  std::lock_guard g(os_thread_site_mutex);
  return std::exchange(os_thread_site_, std::string());
}

std::vector<thread_info> execution::thread_table() const {
  std::vector<thread_info> out;
  for (std::uint32_t t = 0; t < nthreads_; ++t) {
    thread_info info{thread_id{t}, threads_[t].parent, threads_[t].created_at};
    // A thread made inside the standard library (std::vector::emplace_back constructing a
    // lab::thread) records a line of <bits/stl_construct.h>. With the history at hand, name the
    // parent's last operation in the project's own code before the spawn instead; without one,
    // no location rather than a system header's.
    if (t != 0 && outside_project(info.created_at)) {
      info.created_at = {};
      auto spawn = std::find_if(history_.begin(), history_.end(), [&](const event& e) {
        return e.kind == op::thread_spawn && e.arg == t;
      });
      for (auto it = spawn; it != history_.begin();) {
        --it;
        if (it->thread == info.parent && !outside_project(it->loc)) {
          info.created_at = it->loc;
          break;
        }
      }
    }
    out.push_back(info);
  }
  return out;
}

std::vector<object_info> execution::object_table() const {
  std::vector<object_info> out;
  std::array<std::uint32_t, 128> counts{};
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    const auto& o = objects_[i];
    auto prefix = static_cast<unsigned char>(id_prefix(o.traits.kind));
    out.push_back({static_cast<object_id>(i), o.traits.kind, ++counts[prefix], o.name ? o.name : "", o.loc});
  }
  return out;
}

}  // namespace lab::rt
