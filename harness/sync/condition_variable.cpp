#include "harness/sync/condition_variable.h"

#include <algorithm>

#include "harness/sync/thread.h"

namespace lab {

void condition_variable::sim_notify(rt::execution& ex, bool all, std::source_location loc) {
  const op kind = all ? op::cv_notify_all : op::cv_notify_one;
  id_.refresh(ex, object_kind::condition_variable);
  if (!ex.release_point({kind, id_.id}, loc, rt::key_of(id_.id))) return;
  auto key = rt::key_of(id_.id);
  std::uint32_t waiting = ex.waiters(key);
  if (all) ex.wake_all(key);
  else ex.wake_one(key);
  ex.emit(kind, id_.id, loc, waiting);
}

object_id condition_variable::sim_object() {
  auto* ex = rt::execution::current();
  if (!ex) return no_object;
  id_.refresh(*ex, object_kind::condition_variable);
  return id_.id;
}

void condition_variable::notify_one(std::source_location loc) {
  detail::dispatch([&](rt::execution& ex) { sim_notify(ex, false, loc); }, [&] { native_.notify_one(); });
}

void condition_variable::notify_all(std::source_location loc) {
  detail::dispatch([&](rt::execution& ex) { sim_notify(ex, true, loc); }, [&] { native_.notify_all(); });
}

// One wait, sim backend. With a timeout (virtual ns, counted from after the scheduling point)
// it is a timed wait; without one it may wake spuriously, a recorded choice. Returns whether it
// timed out (or the execution is being torn down).
bool condition_variable::sim_wait(rt::execution& ex, unique_lock<mutex>& lock, std::optional<std::uint64_t> timeout_ns,
                                  std::source_location loc) {
  id_.refresh(ex, object_kind::condition_variable);
  if (!ex.schedule_point({op::cv_wait, id_.id}, loc)) return true;
  mutex& m = *lock.mutex();
  m.sim_release(ex, loc);
  ex.emit(op::cv_wait, id_.id, loc);
  wake_reason woken = wake_reason::notified;
  if (timeout_ns) {
    if (!ex.block_until(rt::key_of(id_.id), ex.now() + *timeout_ns)) return true;
    if (ex.timed_out()) woken = wake_reason::timed_out;
  } else if (ex.choose(2, choice_kind::spurious_wakeup) == 1) {
    woken = wake_reason::spurious;
  } else if (!ex.block(rt::key_of(id_.id))) {
    return true;
  }
  ex.emit(op::cv_woken, id_.id, loc, arg_of(woken));
  m.sim_acquire(ex, loc);
  return woken == wake_reason::timed_out;
}

void condition_variable::wait(unique_lock<mutex>& lock, std::source_location loc) {
  detail::dispatch([&](rt::execution& ex) { sim_wait(ex, lock, std::nullopt, loc); }, [&] { native_.wait(lock); });
}

std::cv_status condition_variable::wait_for(unique_lock<mutex>& lock, std::chrono::nanoseconds d,
                                            std::source_location loc) {
  return detail::dispatch(
      [&](rt::execution& ex) {
        auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0));
        return sim_wait(ex, lock, ns, loc) ? std::cv_status::timeout : std::cv_status::no_timeout;
      },
      [&] { return native_.wait_for(lock, d); });
}

std::chrono::nanoseconds condition_variable::now_ns() { return lab::now(); }

}  // namespace lab
