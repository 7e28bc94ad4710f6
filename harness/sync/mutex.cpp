#include "harness/sync/mutex.h"

#include "harness/sync/thread.h"

namespace lab::detail {

void yield_at(std::source_location loc) { this_thread::yield(loc); }

void mutex_core::first_use(rt::execution& ex) {
  id_.refresh(ex, recursive_ ? object_kind::recursive_mutex : object_kind::mutex);
  owner_ = no_thread;
  depth_ = 0;
  handed_off_ = false;
  if (fork_) fork_->reset();
}

mutex_fork_copy& mutex_core::fork_copy(rt::execution&) {
  if (!fork_) fork_ = std::make_unique<mutex_fork_copy>(recursive_, id_.name, id_.declared_at);
  return *fork_;
}

void mutex_core::sim_lock(rt::execution& ex, std::source_location loc) {
  refresh(ex);  // registered before the point: the strategy sees which mutex it is
  if (!ex.schedule_point({op::lock_acquired, id_.id}, loc)) return;
  acquire(ex, loc);
}

void mutex_core::sim_acquire(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  acquire(ex, loc);
}

void mutex_core::acquire(rt::execution& ex, std::source_location loc) {
  note_fork(ex);  // a fork while this thread waited at its point saw the mutex as it was then
  thread_id me = ex.self();
  if (ex.process_of(me) != 0) {
    fork_copy(ex).acquire(ex, id_.id, loc, false);
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
    // arg 1: a handoff (fifo) mutex, whose queue order decides who gets it next (DPOR orders
    // such waits; a wait that only sleeps until some unlock is no event of its own).
    ex.emit(op::lock_blocked, id_.id, loc, handoff_ ? 1 : 0);
    if (!ex.block(rt::key_of(id_.id))) return;
  }
  note_fork(ex);  // a fork while this thread was blocked saw the mutex as it was then
  owner_ = me;
  depth_ = 1;
  ex.emit(op::lock_acquired, id_.id, loc);
}

bool mutex_core::sim_try_lock(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  if (!ex.schedule_point({op::lock_acquired, id_.id}, loc)) return false;
  note_fork(ex);
  thread_id me = ex.self();
  if (ex.process_of(me) != 0) return fork_copy(ex).acquire(ex, id_.id, loc, true);
  if (owner_ == no_thread || (recursive_ && owner_ == me)) {
    if (owner_ == me) ++depth_;
    else owner_ = me, depth_ = 1;
    ex.emit(op::lock_acquired, id_.id, loc, arg_of(lock_how::try_lock));
    return true;
  }
  ex.emit(op::try_lock_failed, id_.id, loc);
  return false;
}

void mutex_core::sim_unlock(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  if (!ex.release_point({op::unlock, id_.id}, loc, rt::key_of(id_.id))) return;
  release(ex, loc);
}

void mutex_core::sim_release(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  release(ex, loc);
}

void mutex_core::release(rt::execution& ex, std::source_location loc) {
  note_fork(ex);
  if (ex.process_of(ex.self()) != 0) return fork_copy(ex).release(ex, loc);
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

void mutex_core::sim_destroy() {
  auto* ex = rt::execution::current();
  if (ex && !ex->aborting() && id_.live_in(*ex) && owner_ != no_thread)
    ex->emit(op::mutex_destroyed, id_.id, id_.declared_at);
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

}  // namespace lab::detail
