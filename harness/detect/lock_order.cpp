#include "harness/detect/lock_order.h"

#include <fmt/format.h>

#include <algorithm>

namespace lab {

void lock_order_detector::begin_execution(bool) {
  reset_own();
  graph_.reset(0);
  pairs_.clear();
  reported_ = false;
}

lock_order_detector::pair* lock_order_detector::find(object_id a, object_id b) {
  for (auto& p : pairs_)
    if (p.first == a && p.second == b) return &p;
  return nullptr;
}

std::vector<const lock_order_detector::instance*> lock_order_detector::deadlocking_choice(
    const std::vector<std::uint32_t>& nodes) {
  std::vector<const pair*> edges;
  for (std::size_t i = 0; i < nodes.size(); ++i) edges.push_back(find(nodes[i], nodes[(i + 1) % nodes.size()]));
  std::vector<const instance*> chosen(edges.size());
  std::size_t budget = 4096;  // choices tried at most: cycles are short and instances few
  // Depth-first over the instances of each edge, keeping the gates every chosen one shares.
  auto search = [&](auto&& self, std::size_t k, const std::vector<object_id>& common, bool two_threads) -> bool {
    if (k == edges.size()) return two_threads && common.empty();
    for (const instance& in : edges[k]->instances) {
      if (budget-- == 0) return false;
      std::vector<object_id> still;
      if (k == 0) {
        still = in.gates;
      } else {
        for (object_id g : common)
          if (std::find(in.gates.begin(), in.gates.end(), g) != in.gates.end()) still.push_back(g);
      }
      chosen[k] = &in;
      bool two = two_threads || (k > 0 && in.edge.thread != chosen[0]->edge.thread);
      if (self(self, k + 1, still, two)) return true;
    }
    return false;
  };
  if (!search(search, 0, {}, false)) return {};
  return chosen;
}

std::vector<const lock_order_detector::instance*> lock_order_detector::deadlocking_cycle(object_id held,
                                                                                        object_id acquired) {
  std::vector<std::uint32_t> path{acquired};
  std::size_t budget = 20000;  // path steps at most: the lock graphs of one execution are small
  std::vector<const instance*> found;
  auto dfs = [&](auto&& self, object_id at) -> bool {
    if (at == held) {
      found = deadlocking_choice(path);  // path acquired ... held, closed by held -> acquired
      return !found.empty();
    }
    for (const pair& p : pairs_) {
      if (p.first != at || budget == 0) continue;
      --budget;
      if (std::find(path.begin(), path.end(), p.second) != path.end()) continue;  // simple paths only
      path.push_back(p.second);
      if (self(self, p.second)) return true;
      path.pop_back();
    }
    return false;
  };
  dfs(dfs, acquired);
  return found;
}

void lock_order_detector::acquired_while_holding(const event& e) {
  bool recursive = locks().owner(e.object) == e.thread;
  if (e.arg != arg_of(lock_how::blocking) || recursive) return;
  const auto& held_now = locks().of(e.thread);
  for (object_id held : held_now) {
    instance in{{e.thread, held, e.object, e.step, locks().acquired_at(held), e.loc}, {}};
    for (object_id g : held_now)
      if (g != held) in.gates.push_back(g);
    pair* p = find(held, e.object);
    if (!p) {
      graph_.add_edge(held, e.object);
      p = &pairs_.emplace_back(pair{held, e.object, {}});
    }
    bool known = std::any_of(p->instances.begin(), p->instances.end(),
                             [&](const instance& x) { return x.edge.thread == e.thread && x.gates == in.gates; });
    if (known || p->instances.size() == max_instances) continue;
    p->instances.push_back(std::move(in));
    if (reported_) continue;
    // A new instance may close a cycle that could not deadlock before.
    if (!graph_.find_path(e.object, held).size()) continue;  // no cycle through this edge at all
    auto choice = deadlocking_cycle(held, e.object);
    if (choice.empty()) continue;  // one thread's own order, or serialised by a gate lock
    reported_ = true;
    finding f;
    f.kind = verdict::lock_order_inversion;
    f.thread = e.thread;
    f.step = e.step;
    f.loc = e.loc;
    // The new edge first (held -> e.object), then the rest of the cycle in order.
    f.edges.push_back(choice.back()->edge);
    for (std::size_t i = 0; i + 1 < choice.size(); ++i) f.edges.push_back(choice[i]->edge);
    f.message = fmt::format("cycle of {} mutexes in the lock-order graph: some interleaving deadlocks", f.edges.size());
    out_->report(std::move(f));
  }
}

}  // namespace lab
