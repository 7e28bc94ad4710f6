#include "harness/sync/shared_mutex.h"

#include <algorithm>

namespace lab {
namespace detail {

void shared_mutex_core::refresh(rt::execution& ex) {
  if (id_.refresh(ex, object_kind::shared_mutex)) {
    writer_ = no_thread;
    readers_ = 0;
    next_ticket_ = 0;
    queue_.clear();
  }
}

bool shared_mutex_core::may_enter(bool shared, std::uint64_t ticket) const {
  bool compatible = shared ? writer_ == no_thread : writer_ == no_thread && readers_ == 0;
  if (!compatible || policy_ == rw_policy::reader_preferring) return compatible;
  for (const waiting& w : queue_)
    if (w.ticket < ticket) return false;  // someone who came earlier goes first
  return true;
}

void shared_mutex_core::sim_lock(rt::execution& ex, bool shared, std::source_location loc) {
  refresh(ex);
  if (!ex.schedule_point({shared ? op::shared_acquired : op::lock_acquired, id_.id}, loc)) return;
  std::uint64_t ticket = next_ticket_++;
  bool queued = false;
  while (!may_enter(shared, ticket)) {
    if (!queued) {
      queue_.push_back({ticket, shared});
      queued = true;
    }
    ex.emit(shared ? op::shared_blocked : op::lock_blocked, id_.id, loc);
    if (!ex.block(rt::key_of(id_.id))) return;
  }
  if (queued) {
    std::erase_if(queue_, [&](const waiting& w) { return w.ticket == ticket; });
    // Others queued behind this request may be able to go now (a run of readers).
    ex.wake_all(rt::key_of(id_.id));
  }
  if (shared) ++readers_;
  else writer_ = ex.self();
  ex.emit(shared ? op::shared_acquired : op::lock_acquired, id_.id, loc);
}

bool shared_mutex_core::sim_try_lock(rt::execution& ex, bool shared, std::source_location loc) {
  refresh(ex);
  if (!ex.schedule_point({shared ? op::shared_acquired : op::lock_acquired, id_.id}, loc)) return false;
  if (!may_enter(shared, next_ticket_)) {
    ex.emit(op::try_lock_failed, id_.id, loc);
    return false;
  }
  ++next_ticket_;
  if (shared) ++readers_;
  else writer_ = ex.self();
  ex.emit(shared ? op::shared_acquired : op::lock_acquired, id_.id, loc, arg_of(lock_how::try_lock));
  return true;
}

void shared_mutex_core::sim_unlock(rt::execution& ex, bool shared, std::source_location loc) {
  refresh(ex);
  if (!ex.release_point({shared ? op::shared_unlock : op::unlock, id_.id}, loc, rt::key_of(id_.id))) return;
  if (shared) {
    if (readers_ > 0) --readers_;
    ex.emit(op::shared_unlock, id_.id, loc);
  } else {
    writer_ = no_thread;  // by a non-owner too, as glibc does; the misuse detector reports it
    ex.emit(op::unlock, id_.id, loc);
  }
  ex.wake_all(rt::key_of(id_.id));
}

void native_fair_rwlock::lock() {
  std::unique_lock lk(m_);
  std::uint64_t me = next_ticket_++;
  cv_.wait(lk, [&] { return serving_ == me && !writer_ && readers_ == 0; });
  writer_ = true;
  ++serving_;
  cv_.notify_all();
}

bool native_fair_rwlock::try_lock() {
  std::lock_guard g(m_);
  if (serving_ != next_ticket_ || writer_ || readers_ > 0) return false;
  ++next_ticket_;
  ++serving_;
  writer_ = true;
  return true;
}

void native_fair_rwlock::unlock() {
  std::lock_guard g(m_);
  writer_ = false;
  cv_.notify_all();
}

void native_fair_rwlock::lock_shared() {
  std::unique_lock lk(m_);
  std::uint64_t me = next_ticket_++;
  cv_.wait(lk, [&] { return serving_ == me && !writer_; });
  ++readers_;
  ++serving_;
  cv_.notify_all();
}

bool native_fair_rwlock::try_lock_shared() {
  std::lock_guard g(m_);
  if (serving_ != next_ticket_ || writer_) return false;
  ++next_ticket_;
  ++serving_;
  ++readers_;
  return true;
}

void native_fair_rwlock::unlock_shared() {
  std::lock_guard g(m_);
  --readers_;
  cv_.notify_all();
}

}  // namespace detail


void shared_mutex::native_lock(shared_mutex& m) {
  if (m.policy_ == rw_policy::fair) m.native_fair_.lock();
  else m.native_preferring_.lock();
}

void shared_mutex::native_lock_shared(shared_mutex& m) {
  if (m.policy_ == rw_policy::fair) m.native_fair_.lock_shared();
  else m.native_preferring_.lock_shared();
}

bool shared_mutex::try_lock(std::source_location loc) {
  return detail::dispatch([&](rt::execution& ex) { return sim_try_lock(ex, false, loc); },
                          [&] { return policy_ == rw_policy::fair ? native_fair_.try_lock() : native_preferring_.try_lock(); });
}

void shared_mutex::unlock(std::source_location loc) {
  detail::dispatch([&](rt::execution& ex) { sim_unlock(ex, false, loc); },
                   [&] { policy_ == rw_policy::fair ? native_fair_.unlock() : native_preferring_.unlock(); });
}

bool shared_mutex::try_lock_shared(std::source_location loc) {
  return detail::dispatch(
      [&](rt::execution& ex) { return sim_try_lock(ex, true, loc); },
      [&] { return policy_ == rw_policy::fair ? native_fair_.try_lock_shared() : native_preferring_.try_lock_shared(); });
}

void shared_mutex::unlock_shared(std::source_location loc) {
  detail::dispatch([&](rt::execution& ex) { sim_unlock(ex, true, loc); },
                   [&] { policy_ == rw_policy::fair ? native_fair_.unlock_shared() : native_preferring_.unlock_shared(); });
}

}  // namespace lab
