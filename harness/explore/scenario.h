// A scenario variant as the lab checks it: a program and the verdict it must give.
#pragma once

#include <string>
#include <string_view>

#include "harness/core/verdict.h"

namespace lab {

/// One variant of one scenario. A broken variant declares the verdict the lab must reach; a
/// fixed variant declares `clean`. The body runs unchanged on both backends. The catalog
/// (scenarios/catalog.h) is a list of these; a user's own suite may make its own.
struct scenario {
  std::string_view name;          ///< folder under scenarios/, e.g. "lost_update"
  std::string_view variant;       ///< "broken", "fixed", or "fixed_<how>"
  std::string_view failure_mode;  ///< the row of the failure-mode table it illustrates
  verdict expected = verdict::clean;
  std::string_view summary;       ///< one line: what this variant does
  void (*body)() = nullptr;
  /// Broken variants only: the strategy expected to find the bug ("pct"), when not all of the
  /// checking ones; `why_not` says why the others cannot (e.g. random is fair by construction).
  std::string_view found_by = {};
  std::string_view why_not = {};
  /// The scenario whose variants this one stands with, when not `name` (a learner's program on
  /// a second broken variant: exercise check_then_act_locked_steps is of check_then_act).
  std::string_view family = {};
  /// Its scenario's bug is starvation, which an exhaustive search does not judge: a "verified"
  /// from dpor does not cover it, so a check runs the fair samplers too. Set by the catalog.
  bool needs_fair_schedules = false;

  /// True when `strategy` is expected to reach the declared verdict. An exhaustive search
  /// ("dpor") finds every bug that does not need a fair schedule: not starvation (it is judged
  /// under fair schedules only), and not a bug the variant says only another strategy finds.
  bool expects(std::string_view strategy) const {
    if (expected == verdict::clean) return true;
    if (strategy == "dpor") return expected != verdict::starvation && found_by.empty();
    return found_by.empty() || found_by == strategy;
  }
  /// Why `strategy` is not expected to find the bug (empty when it is).
  std::string_view why_not_for(std::string_view strategy) const {
    if (expects(strategy)) return {};
    if (strategy == "dpor" && expected == verdict::starvation)
      return "starvation needs a fair schedule, which an exhaustive search does not keep to";
    return why_not;
  }
  std::string full_name() const { return std::string(name) + "/" + std::string(variant); }
  std::string_view family_name() const { return family.empty() ? name : family; }
  std::string readme() const { return "scenarios/" + std::string(name) + "/README.md"; }
};

}  // namespace lab
