#include "harness/sync/gil.h"

#include "harness/sync/thread.h"

namespace lab {

gil::gil(std::chrono::nanoseconds switch_interval, const char* name, std::source_location loc)
    : interval_(switch_interval), id_{0, no_object, name, loc}, m_("gil.m", loc), cv_("gil.cv", loc) {}

// The GIL's own events come after m_ is released, so the lock-order detector sees only
// GIL -> gil.m (compute checks the drop request while holding the GIL), never the reverse.
void gil::emit(op kind, std::source_location loc) {
  id_.emit({.kind = object_kind::mutex, .wait_limit_ns = static_cast<std::uint64_t>(interval_.count())}, kind, loc);
}

void gil::acquire(std::source_location loc) {
  bool waited = false;
  {
    lab::unique_lock<lab::mutex> lk(located_ref<lab::mutex>(m_, loc));
    if (locked_) {
      waited = true;
      ++waiters_;
      lk.unlock();
      emit(op::lock_blocked, loc);
      lk.lock();
      while (locked_) {
        if (cv_.wait_for(lk, interval_, loc) == std::cv_status::timeout && locked_)
          drop_request_ = true;  // SET_GIL_DROP_REQUEST: the holder gives it up at its next check
      }
      --waiters_;
    }
    locked_ = true;
    drop_request_ = false;
    if (waited) ++switches_;
  }
  emit(op::lock_acquired, loc);
}

void gil::drop_locked(unique_lock<mutex>& lk) {
  locked_ = false;
  cv_.notify_all();
  // FORCE_SWITCHING: wait until another thread has taken it, so this one cannot grab it back.
  std::uint64_t before = switches_;
  while (switches_ == before && waiters_ > 0) cv_.wait(lk);
}

void gil::release(std::source_location loc) {
  emit(op::unlock, loc);
  lab::lock_guard<lab::mutex> hold(located_ref<lab::mutex>(m_, loc));
  locked_ = false;
  cv_.notify_all();
}

void gil::compute(std::chrono::nanoseconds d, std::source_location loc) {
  while (d > std::chrono::nanoseconds::zero()) {
    auto slice = std::min(d, interval_);
    lab::this_thread::work(slice, loc);
    d -= slice;
    bool dropped = false;
    {
      lab::unique_lock<lab::mutex> lk(located_ref<lab::mutex>(m_, loc));
      if (drop_request_ && waiters_ > 0) {
        emit(op::unlock, loc);
        drop_locked(lk);
        dropped = true;
      }
    }
    if (dropped) acquire(loc);
  }
}

void gil::blocking_io(std::chrono::nanoseconds d, std::source_location loc) {
  release(loc);
  lab::this_thread::sleep_for(d, loc);
  acquire(loc);
}

}  // namespace lab
