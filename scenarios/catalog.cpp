#include "scenarios/catalog.h"

#include <algorithm>

namespace lab {
namespace scenarios {
// One declaration per name of CONLAB_SCENARIOS (generated into the build tree by CMake).
#define CONLAB_SCENARIO(name) void add_##name(std::vector<scenario>& out);
#include "scenarios/catalog_list.inc"
#undef CONLAB_SCENARIO
}  // namespace scenarios

const std::vector<scenario>& catalog() {
  static const std::vector<scenario> all = [] {
    std::vector<scenario> v;
#define CONLAB_SCENARIO(name) scenarios::add_##name(v);
#include "scenarios/catalog_list.inc"
#undef CONLAB_SCENARIO
    std::sort(v.begin(), v.end(), [](const scenario& a, const scenario& b) {
      return std::pair(a.name, a.variant) < std::pair(b.name, b.variant);
    });
    return v;
  }();
  return all;
}

const scenario* find_scenario(std::string_view full_name) {
  for (const auto& s : catalog())
    if (s.full_name() == full_name) return &s;
  return nullptr;
}

}  // namespace lab
