#include "harness/scheduler/random.h"

#include <cmath>

namespace lab {

random_strategy::random_strategy(std::uint64_t seed, std::uint64_t executions, double spurious)
    : seed_(seed),
      executions_(executions),
      spurious_threshold_(spurious >= 1.0 ? ~std::uint64_t{0}
                                          : static_cast<std::uint64_t>(std::ldexp(spurious, 64))) {}

bool random_strategy::begin_execution(std::uint64_t index) {
  if (index >= executions_) return false;
  rng_ = splitmix64::for_execution(seed_, index);
  return true;
}

std::uint64_t random_strategy::next_value(std::uint64_t bound, choice_kind kind) {
  switch (kind) {
    case choice_kind::spurious_wakeup:
    case choice_kind::spurious_failure: return rng_.next() < spurious_threshold_ ? 1 : 0;
    case choice_kind::ready_task:
    case choice_kind::reads_from:
    case choice_kind::store_order: break;
  }
  return rng_.below(bound);
}

}  // namespace lab
