// The programs that separate DPOR algorithms (Abdulla, Aronis, Jonsson, Sagonas, "Optimal
// dynamic partial order reduction", POPL 2014, section 9): one body each, for the dpor test and
// the dpor bench.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "harness/lab.h"

namespace lab::test {

/// lastzero(n): thread 0 scans a[n..1] for the last zero, writer j sets a[j] = a[j-1] + 1.
/// Source sets run redundant executions on it; the optimal algorithm one per class (64, 3,328,
/// 147,456 classes for n = 5, 10, 15: the counts Nidhugg and GenMC report).
inline void lastzero(int n) {
  std::vector<std::unique_ptr<lab::atomic<int>>> a;
  for (int i = 0; i <= n; ++i) a.push_back(std::make_unique<lab::atomic<int>>(0));
  std::vector<lab::thread> ts;
  ts.emplace_back([&] {
    for (int i = n; i >= 0; --i)
      if (a[static_cast<std::size_t>(i)]->load() == 0) break;
  });
  for (int j = 1; j <= n; ++j)
    ts.emplace_back([&, j] { a[static_cast<std::size_t>(j)]->store(a[static_cast<std::size_t>(j - 1)]->load() + 1); });
  for (auto& t : ts) t.join();
}

/// readers(n): one writer, n readers of one variable: 2^n classes.
inline void readers(int n) {
  lab::atomic<int> x{0};
  std::vector<lab::thread> ts;
  ts.emplace_back([&] { x.store(1); });
  for (int j = 0; j < n; ++j) ts.emplace_back([&] { (void)x.load(); });
  for (auto& t : ts) t.join();
}

}  // namespace lab::test
