// The scenario catalog: every broken and fixed variant the lab ships, with its expected verdict.
//
// Adding a scenario: a folder scenarios/NAME/ with NAME.cpp (defining
// `void lab::scenarios::add_NAME(std::vector<scenario>&)`) and README.md, and its NAME in the
// one list, CONLAB_SCENARIOS in scenarios/CMakeLists.txt (see CONTRIBUTING.md).
#pragma once

#include <vector>

#include "harness/explore/scenario.h"

namespace lab {

/// Every variant, sorted by name then variant.
const std::vector<scenario>& catalog();

/// Adds a variant the catalog does not ship - a learner's exercise, NAME/yours (harness/
/// exercise.h) - to what catalog() returns. Call it before the first call of catalog(). Without
/// a failure mode it gets that of the broken variant of the same name.
void add_to_catalog(scenario s);

/// The variant called "name/variant", or null.
const scenario* find_scenario(std::string_view full_name);

}  // namespace lab
