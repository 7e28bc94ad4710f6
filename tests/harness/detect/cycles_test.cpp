#include "harness/detect/cycles.h"

#include <gtest/gtest.h>

#include <random>

namespace lab {
namespace cycles_test {

// Brute-force oracle: reachability by Floyd-Warshall closure.
std::vector<std::vector<bool>> closure(std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  std::vector<std::vector<bool>> r(n, std::vector<bool>(n, false));
  for (auto [u, v] : edges) r[u][v] = true;
  for (std::uint32_t k = 0; k < n; ++k)
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = 0; j < n; ++j)
        if (r[i][k] && r[k][j]) r[i][j] = true;
  return r;
}

TEST(Digraph, AgreesWithBruteForceOnRandomGraphs) {
  std::mt19937 rng(2024);
  digraph g;
  for (int round = 0; round < 2000; ++round) {
    auto n = static_cast<std::uint32_t>(1 + rng() % 7);
    g.reset(n);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    auto m = static_cast<std::uint32_t>(rng() % (n * 2 + 1));
    for (std::uint32_t i = 0; i < m; ++i) {
      auto u = static_cast<std::uint32_t>(rng() % n), v = static_cast<std::uint32_t>(rng() % n);
      if (g.add_edge(u, v)) edges.emplace_back(u, v);
    }
    auto reach = closure(n, edges);
    bool cyclic = false;
    for (std::uint32_t i = 0; i < n; ++i) cyclic |= reach[i][i];
    auto cycle = g.find_cycle();
    ASSERT_EQ(!cycle.empty(), cyclic) << "round " << round;
    for (std::size_t i = 0; i < cycle.size(); ++i)
      EXPECT_TRUE(g.has_edge(cycle[i], cycle[(i + 1) % cycle.size()])) << "not a cycle";
    for (std::uint32_t u = 0; u < n; ++u)
      for (std::uint32_t v = 0; v < n; ++v) {
        auto path = g.find_path(u, v);
        bool expect = u == v || reach[u][v];
        ASSERT_EQ(!path.empty(), expect) << u << "->" << v;
        if (path.empty()) continue;
        EXPECT_EQ(path.front(), u);
        EXPECT_EQ(path.back(), v);
        for (std::size_t i = 0; i + 1 < path.size(); ++i) EXPECT_TRUE(g.has_edge(path[i], path[i + 1]));
      }
  }
}

TEST(Digraph, SelfLoopIsACycleOfOne) {
  digraph g;
  g.reset(3);
  g.add_edge(0, 1);
  g.add_edge(2, 2);
  EXPECT_EQ(g.find_cycle(), std::vector<std::uint32_t>{2});
}

TEST(Digraph, DuplicateEdgesAreIgnoredAndResetForgets) {
  digraph g;
  g.reset(2);
  EXPECT_TRUE(g.add_edge(0, 1));
  EXPECT_FALSE(g.add_edge(0, 1));
  g.add_edge(1, 0);
  EXPECT_FALSE(g.find_cycle().empty());
  g.reset(2);
  EXPECT_TRUE(g.find_cycle().empty());
  EXPECT_FALSE(g.has_edge(0, 1));
}

TEST(Digraph, GrowsWhenEdgesNameNewNodes) {
  digraph g;
  g.reset(0);
  g.add_edge(5, 9);
  EXPECT_EQ(g.size(), 10u);
  EXPECT_EQ(g.find_path(5, 9), (std::vector<std::uint32_t>{5, 9}));
}

}  // namespace cycles_test
}  // namespace lab
