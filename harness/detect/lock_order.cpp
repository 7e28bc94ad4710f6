#include "harness/detect/lock_order.h"

#include <fmt/format.h>

namespace lab {

void lock_order_detector::begin_execution(bool) {
  reset_own();
  graph_.reset(0);
  edges_.clear();
  reported_ = false;
}

const lock_edge* lock_order_detector::edge(object_id a, object_id b) const {
  for (const auto& e : edges_)
    if (e.first == a && e.second == b) return &e;
  return nullptr;
}

void lock_order_detector::acquired_while_holding(const event& e) {
  bool recursive = locks().owner(e.object) == e.thread;
  if (e.arg == arg_of(lock_how::blocking) && !recursive) {
    for (object_id held : locks().of(e.thread)) {
      if (!graph_.add_edge(held, e.object)) continue;
      edges_.push_back({e.thread, held, e.object, e.step, locks().acquired_at(held), e.loc});
      if (reported_) continue;
      auto back = graph_.find_path(e.object, held);
      if (back.empty()) continue;
      reported_ = true;
      finding f;
      f.kind = verdict::lock_order_inversion;
      f.thread = e.thread;
      f.step = e.step;
      f.loc = e.loc;
      f.edges.push_back(edges_.back());
      for (std::size_t i = 0; i + 1 < back.size(); ++i) f.edges.push_back(*edge(back[i], back[i + 1]));
      f.message = fmt::format("cycle of {} mutexes in the lock-order graph: some interleaving deadlocks",
                              f.edges.size());
      out_->report(std::move(f));
    }
  }
}

}  // namespace lab
