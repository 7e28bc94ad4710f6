// The async primitives' out-of-line parts: the wait list, and the hand-overs.
#include "harness/loop/async_sync.h"

#include <algorithm>

namespace lab {
namespace detail {

async_waitlist::~async_waitlist() {
  // Tasks still parked here (a loop closing with pending tasks) must not be withdrawn from a
  // list that no longer exists.
  for (const auto& w : q_)
    if (w.in && w.in->parked_on == this) w.in->parked_on = nullptr;
}

void async_identity::emit(op what, const task_state* who, std::source_location loc) {
  if (who && who->promise) emit(what, who->promise->self, loc);
}

void async_identity::emit(op what, const coro_identity& task, std::source_location loc) {
  auto* ex = rt::execution::current();
  if (!ex || ex->aborting() || task.generation != ex->generation()) return;
  sim.refresh(*ex, kind);
  ex->emit(what, task.id, loc, sim.id);
}

task_state* async_waitlist::park_handle(std::coroutine_handle<> h, promise_base& p, void* slot, std::source_location loc) {
  if (!p.loop || !p.state) throw std::logic_error("lab: an async primitive awaited outside an event loop");
  if (p.state->cancel_requested) {  // a cancelled task does not wait
    p.loop->make_ready(h, p.state);
    return p.state;
  }
  q_.push_back({h, p.state, p.loop, slot, loc});
  p.state->parked_on = this;
  owner_->emit(op::coro_waits, p.state, loc);
  return p.state;
}

void async_waitlist::wake_one() {
  waiter w = q_.front();
  q_.pop_front();
  w.in->parked_on = nullptr;
  w.loop->make_ready(w.h, w.in);
}

void async_waitlist::wake_all() {
  while (!q_.empty()) wake_one();
}

void async_waitlist::withdraw(task_state& s) {
  auto it = std::find_if(q_.begin(), q_.end(), [&](const waiter& w) { return w.in == &s; });
  if (it == q_.end()) return;
  waiter w = *it;
  q_.erase(it);
  s.parked_on = nullptr;
  w.loop->make_ready(w.h, w.in);
}

}  // namespace detail

bool async_mutex::try_lock() noexcept {
  if (locked_) return false;
  locked_ = true;
  return true;
}

void async_mutex::took(detail::task_state* who, std::source_location loc) {
  holder_ = who && who->promise ? who->promise->self : detail::coro_identity{};
  ident_.emit(op::coro_acquired, holder_, loc);
}

void async_mutex::unlock(std::source_location loc) {
  if (!locked_) throw std::logic_error("lab::async_mutex::unlock: the lock is not held");
  ident_.emit(op::coro_released, holder_, loc);
  holder_ = {};
  if (waiters_.empty()) {
    locked_ = false;
    return;
  }
  *static_cast<bool*>(waiters_.front_slot()) = true;  // stays locked: handed over
  // The new holder takes it where it parked: the hand-over is its lock() completing.
  took(waiters_.front_task(), waiters_.front_loc());
  waiters_.wake_one();
}

bool async_semaphore::try_acquire() noexcept {
  if (count_ == 0) return false;
  --count_;
  return true;
}

void async_semaphore::release() {
  if (waiters_.empty()) {
    ++count_;
    return;
  }
  *static_cast<bool*>(waiters_.front_slot()) = true;
  waiters_.wake_one();
}

void async_event::set() {
  set_ = true;
  waiters_.wake_all();
}

}  // namespace lab
