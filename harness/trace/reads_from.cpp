#include "harness/trace/reads_from.h"

#include <algorithm>
#include <unordered_map>

namespace lab {

std::vector<stale_read> stale_reads(std::span<const event> history, std::size_t upto) {
  std::vector<stale_read> out;
  std::unordered_map<object_id, std::vector<std::size_t>> stores;  // per atomic: its stores in mo
  upto = std::min(upto, history.size());
  for (std::size_t i = 0; i < upto; ++i) {
    const event& e = history[i];
    if (e.kind == op::atomic_store || e.kind == op::atomic_rmw) {
      auto& mo = stores[e.object];
      const std::size_t before = e.kind == op::atomic_store ? std::min<std::size_t>(e.stale, mo.size()) : 0;
      mo.insert(mo.end() - static_cast<std::ptrdiff_t>(before), i);
    } else if (e.kind == op::atomic_load && e.stale > 0) {
      const auto& mo = stores[e.object];
      if (e.stale > mo.size()) continue;  // a history that does not start at the atomic's first use
      stale_read s{.load = i};
      const std::size_t first_unseen = mo.size() - e.stale;
      if (first_unseen > 0) s.source = mo[first_unseen - 1];
      s.unseen.assign(mo.begin() + static_cast<std::ptrdiff_t>(first_unseen), mo.end());
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace lab
