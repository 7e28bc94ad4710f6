#include "harness/trace/samples.h"

namespace lab {
namespace {

/// Nearest rank: the smallest value v with count(samples <= v) >= ceil(p * n / 100).
std::uint64_t percentile(const std::map<std::uint64_t, std::uint64_t>& values, std::uint64_t n, std::uint64_t p) {
  std::uint64_t rank = (p * n + 99) / 100;
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (const auto& [v, c] : values) {
    seen += c;
    if (seen >= rank) return v;
  }
  return values.empty() ? 0 : values.rbegin()->first;
}

}  // namespace

void sample_store::add(std::string_view name, std::uint64_t ns) {
  auto it = series_.find(name);
  if (it == series_.end()) it = series_.emplace(std::string(name), std::map<std::uint64_t, std::uint64_t>{}).first;
  ++it->second[ns];
}

void sample_store::merge(const sample_store& other) {
  for (const auto& [name, values] : other.series_) {
    auto& mine = series_[name];
    for (const auto& [v, c] : values) mine[v] += c;
  }
}

std::vector<sample_summary> sample_store::summaries() const {
  std::vector<sample_summary> out;
  for (const auto& [name, values] : series_) {
    std::uint64_t n = 0;
    for (const auto& [v, c] : values) n += c;
    out.push_back({name, n, percentile(values, n, 50), percentile(values, n, 99),
                   values.empty() ? 0 : values.rbegin()->first});
  }
  return out;
}

}  // namespace lab
