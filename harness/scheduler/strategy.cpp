#include "harness/scheduler/strategy.h"

#include "harness/scheduler/pct.h"
#include "harness/scheduler/random.h"

namespace lab {

std::unique_ptr<strategy> make_strategy(const options& opts) {
  if (opts.strategy == "pct")
    return std::make_unique<pct_strategy>(opts.seed, opts.schedules, opts.depth, opts.spurious);
  return std::make_unique<random_strategy>(opts.seed, opts.schedules, opts.spurious);
}

}  // namespace lab
