// The check of a scenario variant: the one rule for "a variant met its expectation", used by
// `conlab check`, `conlab report`, `conlab compare` and the catalog test.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/options.h"
#include "harness/explore/scenario.h"
#include "harness/trace/report.h"

namespace lab {

/// True when one exploration of `s` met its expectation: a broken variant gave its declared
/// verdict and the failing execution reproduced when replayed with history; a fixed variant
/// was clean over the whole budget (a search cut short by request_stop proves nothing).
bool meets_expectation(const scenario& s, const run_report& r);

/// How one strategy fared on a variant.
struct strategy_check {
  std::string strategy;
  bool applies = true;  ///< false: the variant does not expect this strategy to find its bug
  std::string why_not;  ///< when it does not apply: the scenario's reason
  run_report report;    ///< the exploration (empty when it does not apply)
  bool met = false;     ///< meets_expectation, or true when it does not apply
};

/// How a variant fared under every strategy it was checked with.
struct variant_check {
  std::vector<strategy_check> strategies;
  bool met = true;  ///< every strategy that applies met the expectation
  /// The report worth showing: the first with a finding, else the first explored; null when no
  /// strategy applied.
  const run_report* shown() const;
};

/// Explores `s` with `opts` under each of `strategies` (in order; those `s` does not expect are
/// skipped with its reason). Throws std::invalid_argument for a strategy the registry does not
/// know. `strategies` empty: the registry's checking strategies.
variant_check check_variant(const scenario& s, const options& opts, std::span<const std::string_view> strategies = {});

}  // namespace lab
