// Measurements a scenario takes of itself (request latencies), summarised for the report.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lab {

/// The summary of one named measurement, as reports print it. Percentiles are nearest-rank:
/// p50 is the smallest sample with at least half of the samples at or below it.
struct sample_summary {
  std::string name;
  std::uint64_t count = 0;
  std::uint64_t p50_ns = 0;
  std::uint64_t p99_ns = 0;
  std::uint64_t max_ns = 0;
};

/// Named samples in nanoseconds, kept exactly as value -> count (virtual-time samples repeat a
/// lot, so this stays small). Not thread-safe: each exploring OS thread keeps its own and the
/// explorer merges them. Cost: O(log n) per sample; allocates only for a new name or value.
class sample_store {
 public:
  void add(std::string_view name, std::uint64_t ns);
  void merge(const sample_store& other);
  void clear() { series_.clear(); }
  bool empty() const { return series_.empty(); }
  /// Every name, in alphabetical order.
  std::vector<sample_summary> summaries() const;

 private:
  std::map<std::string, std::map<std::uint64_t, std::uint64_t>, std::less<>> series_;
};

}  // namespace lab
