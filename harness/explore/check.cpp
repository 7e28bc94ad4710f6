#include "harness/explore/check.h"

#include <fmt/format.h>

#include "harness/explore/explorer.h"
#include "harness/scheduler/registry.h"

namespace lab {

bool meets_expectation(const scenario& s, const run_report& r) {
  if (r.result != s.expected) return false;
  if (r.result == verdict::clean) return !r.interrupted;
  return r.reproduced;
}

std::string coverage(const run_report& r) {
  if (r.result != verdict::clean) return {};
  if (r.stats.exhaustive)
    return r.stats.classes != 0 ? fmt::format("verified ({} class{})", r.stats.classes, r.stats.classes == 1 ? "" : "es")
                                : fmt::format("verified ({} executions)", r.stats.executions);
  const strategy_info* info = find_strategy(r.strategy);
  if (info && (info->exhaustive || info->plan)) return fmt::format("sampled ({} executions)", r.stats.executions);
  return fmt::format("clean in {} executions", r.stats.executions);
}

const run_report* variant_check::shown() const {
  const run_report* first = nullptr;
  for (const auto& c : strategies) {
    if (!c.applies) continue;
    if (!c.needed) continue;
    if (c.report.result != verdict::clean) return &c.report;
    if (!first) first = &c.report;
  }
  return first;
}

variant_check check_variant(const scenario& s, const options& opts, std::span<const std::string_view> strategies) {
  const bool plan = strategies.empty();
  if (plan) strategies = checking_strategies();
  variant_check v;
  bool verified = false;  // an exhaustive strategy of the plan explored every class: clean
  for (std::string_view strat : strategies) {
    strategy_check c{.strategy = std::string(strat)};
    if (verified) {
      c.needed = false;
      c.met = true;
      v.strategies.push_back(std::move(c));
      continue;
    }
    if (!s.expects(strat)) {
      c.applies = false;
      c.why_not = std::string(s.why_not_for(strat));
      c.met = true;
      v.strategies.push_back(std::move(c));
      continue;
    }
    options o = opts;
    o.strategy = std::string(strat);
    c.report = explore(s.full_name(), s.body, o, {.stop_when_unprovable = plan});
    c.met = meets_expectation(s, c.report);
    verified = plan && s.expected == verdict::clean && c.met && c.report.stats.exhaustive && !s.needs_fair_schedules;
    v.met = v.met && c.met;
    v.strategies.push_back(std::move(c));
  }
  return v;
}

}  // namespace lab
