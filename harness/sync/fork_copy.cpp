#include "harness/sync/fork_copy.h"

namespace lab::detail {

void mutex_fork_copy::refresh(rt::execution& ex, std::source_location loc) {
  if (!id_.refresh(ex, recursive_ ? object_kind::recursive_mutex : object_kind::mutex)) return;
  thread_id me = ex.self();
  bool forker_held = owner_at_fork_ != no_thread && owner_at_fork_ == ex.forker_of(ex.process_of(me));
  owner_ = forker_held ? me : owner_at_fork_;
  depth_ = depth_at_fork_;
  // The detectors learn that the child's thread holds its copy, as the forker held the original.
  for (std::uint32_t i = 0; forker_held && i < depth_; ++i)
    ex.emit(op::lock_acquired, id_.id, loc, arg_of(lock_how::inherited));
}

bool mutex_fork_copy::acquire(rt::execution& ex, object_id original, std::source_location loc, bool try_only) {
  refresh(ex, loc);
  thread_id me = ex.self();
  if (owner_ == no_thread || (recursive_ && owner_ == me)) {
    if (owner_ == me) ++depth_;
    else owner_ = me, depth_ = 1;
    ex.emit(op::lock_acquired, id_.id, loc, arg_of(try_only ? lock_how::try_lock : lock_how::blocking));
    return true;
  }
  if (try_only) {
    ex.emit(op::try_lock_failed, id_.id, loc);
    return false;
  }
  if (owner_ == me)  // a relock in the child: the one-thread deadlock, as in the parent
    ex.emit(op::lock_blocked, id_.id, loc);
  else
    ex.emit(op::lock_inherited, id_.id, loc, inherited_lock{original, owner_}.pack());
  while (ex.block(rt::key_of(id_.id))) {
  }
  return false;
}

void mutex_fork_copy::release(rt::execution& ex, std::source_location loc) {
  refresh(ex, loc);
  if (owner_ == ex.self() && depth_ > 1) --depth_;
  else owner_ = no_thread, depth_ = 0;
  ex.emit(op::unlock, id_.id, loc);
  ex.wake_all(rt::key_of(id_.id));
}

}  // namespace lab::detail
