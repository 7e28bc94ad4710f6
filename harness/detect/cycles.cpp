#include "harness/detect/cycles.h"

#include <algorithm>

namespace lab {

void digraph::reset(std::uint32_t nodes) {
  for (auto& v : out_) v.clear();
  if (out_.size() < nodes) out_.resize(nodes);
  n_ = nodes;
}

bool digraph::add_edge(std::uint32_t u, std::uint32_t v) {
  std::uint32_t need = std::max(u, v) + 1;
  if (need > n_) {
    if (out_.size() < need) out_.resize(need);
    n_ = need;
  }
  if (has_edge(u, v)) return false;
  out_[u].push_back(v);
  return true;
}

bool digraph::has_edge(std::uint32_t u, std::uint32_t v) const {
  if (u >= n_) return false;
  return std::find(out_[u].begin(), out_[u].end(), v) != out_[u].end();
}

std::vector<std::uint32_t> digraph::find_path(std::uint32_t from, std::uint32_t to) const {
  if (from >= n_ || to >= n_) return {};
  if (from == to) return {from};
  // Breadth-first, so the path reported is a shortest one.
  std::vector<std::uint32_t> parent(n_, n_), queue{from};
  parent[from] = from;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    std::uint32_t u = queue[i];
    for (std::uint32_t v : out_[u]) {
      if (parent[v] != n_) continue;
      parent[v] = u;
      if (v == to) {
        std::vector<std::uint32_t> path{to};
        while (path.back() != from) path.push_back(parent[path.back()]);
        std::reverse(path.begin(), path.end());
        return path;
      }
      queue.push_back(v);
    }
  }
  return {};
}

std::vector<std::uint32_t> digraph::find_cycle() const {
  // Iterative depth-first search; a back edge to a node on the stack closes a cycle.
  enum : std::uint8_t { white, grey, black };
  std::vector<std::uint8_t> colour(n_, white);
  std::vector<std::pair<std::uint32_t, std::size_t>> stack;
  for (std::uint32_t root = 0; root < n_; ++root) {
    if (colour[root] != white) continue;
    stack.push_back({root, 0});
    colour[root] = grey;
    while (!stack.empty()) {
      auto& [u, next] = stack.back();
      if (next == out_[u].size()) {
        colour[u] = black;
        stack.pop_back();
        continue;
      }
      std::uint32_t v = out_[u][next++];
      if (colour[v] == grey) {
        std::vector<std::uint32_t> cycle;
        auto it = std::find_if(stack.begin(), stack.end(), [v](const auto& e) { return e.first == v; });
        for (; it != stack.end(); ++it) cycle.push_back(it->first);
        return cycle;
      }
      if (colour[v] == white) {
        colour[v] = grey;
        stack.push_back({v, 0});
      }
    }
  }
  return {};
}

}  // namespace lab
