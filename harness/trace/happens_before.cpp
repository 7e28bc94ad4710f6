#include "harness/trace/happens_before.h"

namespace lab {

void happens_before::begin_execution() {
  for (std::uint32_t t = 0; t < threads_used_; ++t) threads_[t].clear();
  for (std::uint32_t t = 0; t < threads_used_ && t < fences_.size(); ++t) fences_[t] = fence_state{};
  threads_used_ = 1;
  for (object_id i = 0; i < nobjects_; ++i) {
    syncs_[i].clear();
    read_syncs_[i].clear();
  }
  history_on_ = keep_history_;
  nobjects_ = 0;
  threads_[0].set(0, 1);
}

void happens_before::on_object(object_id id) {
  if (id >= syncs_.size()) {
    syncs_.resize(id + 1);
    read_syncs_.resize(id + 1);
  }
  if (history_on_) {
    if (id >= histories_.size()) histories_.resize(id + 1);
    histories_[id].mo.assign(1, vector_clock{});  // the initial value released nothing
  }
  nobjects_ = std::max(nobjects_, id + 1);
}

void happens_before::handle(const event& e) {
  switch (e.kind) {
    case op::thread_spawn: on<op::thread_spawn>(e); break;
    case op::thread_join: on<op::thread_join>(e); break;
    case op::lock_acquired: on<op::lock_acquired>(e); break;
    case op::unlock: on<op::unlock>(e); break;
    case op::atomic_load: on<op::atomic_load>(e); break;
    case op::sem_acquired: on<op::sem_acquired>(e); break;
    case op::shared_acquired: on<op::shared_acquired>(e); break;
    case op::sem_released: on<op::sem_released>(e); break;
    case op::shared_unlock: on<op::shared_unlock>(e); break;
    case op::atomic_store: on<op::atomic_store>(e); break;
    case op::atomic_rmw: on<op::atomic_rmw>(e); break;
    case op::atomic_fence: on<op::atomic_fence>(e); break;
    default: break;
  }
}

}  // namespace lab
