// The strategy registry: every scheduling strategy's name, help and factory, listed once.
//
// A strategy author adds one file under harness/scheduler/ and one line in registry.cpp; the
// CLI's --strategy, `conlab help strategies`, `conlab check` and the catalog test all read the
// list from here.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "harness/core/options.h"
#include "harness/scheduler/strategy.h"

namespace lab {

struct strategy_info {
  std::string_view name;  ///< as --strategy takes it
  std::string_view help;  ///< one line
  /// Part of the default set of `conlab check` and the catalog test: a fixed variant must be
  /// clean under each of them, a broken one found by each that its scenario expects.
  bool checks = false;
  /// Null for a plan ("auto"): several strategies in turn, which lab::explore runs.
  std::unique_ptr<strategy> (*make)(const options& opts) = nullptr;
  /// Explores a space to its end (dpor, dfs): its executions depend on the ones before, so
  /// one worker runs it.
  bool exhaustive = false;
  bool plan = false;  ///< not a strategy but a sequence of them (make is null)
};

/// Every strategy, in the order help lists them.
std::span<const strategy_info> strategies();

/// The strategy called `name`, or null.
const strategy_info* find_strategy(std::string_view name);

/// The strategies with `checks` set, exhaustive ones first, then in registry order ("dpor",
/// "random", "pct"): a fixed variant an exhaustive strategy verified needs no sampling.
std::span<const std::string_view> checking_strategies();

/// "random|pct": the names, '|'-separated.
std::string strategy_names();

/// The strategy named by `opts.strategy`, seeded from `opts.seed`. Throws std::invalid_argument
/// with one line ("unknown strategy 'dfs' (one of random|pct)") for a name not in the registry.
/// Replays are made from a token (harness/scheduler/replay.h), not here.
std::unique_ptr<strategy> make_strategy(const options& opts);

}  // namespace lab
