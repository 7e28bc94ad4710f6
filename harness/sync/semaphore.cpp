#include "harness/sync/semaphore.h"

namespace lab::detail {

void semaphore_core::refresh(rt::execution& ex) {
  if (id_.refresh(ex, object_kind::semaphore)) count_ = initial_;
}

void semaphore_core::sim_acquire(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  if (!ex.schedule_point({op::sem_acquired, id_.id}, loc)) return;
  while (count_ == 0) {
    ex.emit(op::sem_blocked, id_.id, loc);
    if (!ex.block(rt::key_of(id_.id))) return;
  }
  --count_;
  ex.emit(op::sem_acquired, id_.id, loc);
}

bool semaphore_core::sim_try_acquire(rt::execution& ex, std::source_location loc) {
  refresh(ex);
  if (!ex.schedule_point({op::sem_acquired, id_.id}, loc)) return false;
  if (count_ == 0) return false;
  --count_;
  ex.emit(op::sem_acquired, id_.id, loc, 1);
  return true;
}

void semaphore_core::sim_release(rt::execution& ex, std::ptrdiff_t n, std::source_location loc) {
  refresh(ex);
  if (!ex.release_point({op::sem_released, id_.id}, loc, rt::key_of(id_.id))) return;
  count_ += n;
  ex.emit(op::sem_released, id_.id, loc, static_cast<std::uint64_t>(n));
  ex.wake_all(rt::key_of(id_.id));
}

}  // namespace lab::detail
