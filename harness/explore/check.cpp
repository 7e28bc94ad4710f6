#include "harness/explore/check.h"

#include "harness/explore/explorer.h"
#include "harness/scheduler/registry.h"

namespace lab {

bool meets_expectation(const scenario& s, const run_report& r) {
  if (r.result != s.expected) return false;
  if (r.result == verdict::clean) return !r.interrupted;
  return r.reproduced;
}

const run_report* variant_check::shown() const {
  const run_report* first = nullptr;
  for (const auto& c : strategies) {
    if (!c.applies) continue;
    if (c.report.result != verdict::clean) return &c.report;
    if (!first) first = &c.report;
  }
  return first;
}

variant_check check_variant(const scenario& s, const options& opts, std::span<const std::string_view> strategies) {
  if (strategies.empty()) strategies = checking_strategies();
  variant_check v;
  for (std::string_view strat : strategies) {
    strategy_check c{.strategy = std::string(strat)};
    if (!s.expects(strat)) {
      c.applies = false;
      c.why_not = std::string(s.why_not_for(strat));
      c.met = true;
      v.strategies.push_back(std::move(c));
      continue;
    }
    options o = opts;
    o.strategy = std::string(strat);
    c.report = explore(s.full_name(), s.body, o);
    c.met = meets_expectation(s, c.report);
    v.met = v.met && c.met;
    v.strategies.push_back(std::move(c));
  }
  return v;
}

}  // namespace lab
