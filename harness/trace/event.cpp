#include "harness/trace/event.h"

namespace lab {

std::string_view to_string(op o) {
  switch (o) {
    case op::thread_start: return "start";
    case op::thread_spawn: return "spawn";
    case op::thread_finish: return "finish";
    case op::join_blocked: return "join (blocked)";
    case op::thread_join: return "join";
    case op::lock_blocked: return "lock (blocked)";
    case op::lock_acquired: return "lock";
    case op::try_lock_failed: return "try_lock (failed)";
    case op::unlock: return "unlock";
    case op::mutex_destroyed: return "destroy";
    case op::cv_wait: return "wait";
    case op::cv_woken: return "woken";
    case op::cv_notify_one: return "notify_one";
    case op::cv_notify_all: return "notify_all";
    case op::atomic_load: return "load";
    case op::atomic_store: return "store";
    case op::atomic_rmw: return "rmw";
    case op::read: return "read";
    case op::write: return "write";
    case op::yield: return "yield";
    case op::sleep: return "sleep";
    case op::assertion: return "assert";
    case op::sem_blocked: return "acquire (blocked)";
    case op::sem_acquired: return "acquire";
    case op::sem_released: return "release";
    case op::shared_blocked: return "lock_shared (blocked)";
    case op::shared_acquired: return "lock_shared";
    case op::shared_unlock: return "unlock_shared";
    case op::work: return "work";
    case op::task_queued: return "submit";
    case op::task_started: return "run task";
    case op::task_done: return "task done";
  }
  return "?";
}

}  // namespace lab
