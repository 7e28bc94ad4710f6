// Cycles and paths in small directed graphs: the general algorithm behind the deadlock and
// lock-order detectors, tested on its own against a brute-force oracle.
#pragma once

#include <cstdint>
#include <vector>

namespace lab {

/// A directed graph over nodes 0..size()-1, kept between uses: reset() keeps the memory.
/// Costs: add_edge O(out-degree) (duplicates ignored); find_path and find_cycle O(V + E).
class digraph {
 public:
  void reset(std::uint32_t nodes);
  std::uint32_t size() const { return n_; }
  /// Adds u -> v, growing the graph as needed; false when the edge was already there.
  bool add_edge(std::uint32_t u, std::uint32_t v);
  bool has_edge(std::uint32_t u, std::uint32_t v) const;
  /// Nodes of a path from `from` to `to` (both included; {from} when equal), or empty.
  std::vector<std::uint32_t> find_path(std::uint32_t from, std::uint32_t to) const;
  /// Nodes of some cycle, each once, in edge order (the last has an edge to the first); empty
  /// when the graph is acyclic. Self-loops are cycles of one node.
  std::vector<std::uint32_t> find_cycle() const;

 private:
  std::uint32_t n_ = 0;
  std::vector<std::vector<std::uint32_t>> out_;
};

}  // namespace lab
