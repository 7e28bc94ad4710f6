#include "scenarios/catalog.h"

#include <algorithm>

namespace lab {
namespace scenarios {
// One declaration per name of CONLAB_SCENARIOS (generated into the build tree by CMake).
#define CONLAB_SCENARIO(name) void add_##name(std::vector<scenario>& out);
#include "scenarios/catalog_list.inc"
#undef CONLAB_SCENARIO
}  // namespace scenarios

namespace {
std::vector<scenario>& added() {
  static std::vector<scenario> v;
  return v;
}
}  // namespace

void add_to_catalog(scenario s) { added().push_back(s); }

const std::vector<scenario>& catalog() {
  static const std::vector<scenario> all = [] {
    std::vector<scenario> v;
#define CONLAB_SCENARIO(name) scenarios::add_##name(v);
#include "scenarios/catalog_list.inc"
#undef CONLAB_SCENARIO
    // An added variant without a failure mode takes that of the broken variant of its family.
    const std::size_t shipped = v.size();
    for (scenario s : added()) {
      for (std::size_t i = 0; i < shipped && s.failure_mode.empty(); ++i)
        if (v[i].name == s.family_name() && v[i].expected != verdict::clean) s.failure_mode = v[i].failure_mode;
      v.push_back(s);
    }
    // Every variant of a scenario whose bug is starvation is checked under fair schedules too.
    for (auto& s : v)
      for (std::size_t i = 0; i < shipped && !s.needs_fair_schedules; ++i)
        s.needs_fair_schedules = v[i].name == s.family_name() && v[i].expected == verdict::starvation;
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
