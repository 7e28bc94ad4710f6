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

/// How a clean exploration covered the program, in the words of `conlab check` and the report
/// index: "verified (2 classes)" (every class explored), "sampled (10000 executions)" (an
/// exhaustive or bounded strategy that did not end), "clean in 10000 executions" (a sampler);
/// empty for a finding.
std::string coverage(const run_report& r);

/// How one strategy fared on a variant.
struct strategy_check {
  std::string strategy;
  bool applies = true;  ///< false: the variant does not expect this strategy to find its bug
  std::string why_not;  ///< when it does not apply: the scenario's reason
  /// False: an exhaustive strategy before it verified the variant (every class explored, no
  /// finding), so this one was not run - there was nothing left to sample.
  bool needed = true;
  run_report report;    ///< the exploration (empty when it does not apply or was not needed)
  bool met = false;     ///< meets_expectation, or true when it does not apply or was not needed
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
/// know. `strategies` empty: the registry's checking strategies - dpor first, and when dpor
/// verifies a fixed variant, random and pct are not run (`needed` false): the verdict is
/// "verified", not a sample; otherwise they sample it with the same budget each.
variant_check check_variant(const scenario& s, const options& opts, std::span<const std::string_view> strategies = {});

}  // namespace lab
