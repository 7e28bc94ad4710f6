#include "harness/scheduler/registry.h"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "harness/scheduler/dpor.h"
#include "harness/scheduler/pb.h"
#include "harness/scheduler/pct.h"
#include "harness/scheduler/random.h"

namespace lab {
namespace {

constexpr std::array<strategy_info, 7> registry = {{
    {"random", "a runnable thread chosen uniformly at random at every step (fair with probability 1)", true,
     [](const options& o) -> std::unique_ptr<strategy> {
       return std::make_unique<random_strategy>(o.seed, o.schedules, o.spurious);
     }},
    {"pct", "probabilistic concurrency testing: random priorities with --depth - 1 change points (ASPLOS 2010)", true,
     [](const options& o) -> std::unique_ptr<strategy> {
       return std::make_unique<pct_strategy>(o.seed, o.schedules, o.depth, o.spurious);
     }},
    {"dpor", "every interleaving class exactly once: optimal DPOR, wakeup trees and sleep sets (POPL 2014, Algorithm 2; source sets when --shard or --jobs splits it); verified when it ends", true,
     [](const options& o) -> std::unique_ptr<strategy> { return std::make_unique<dpor_strategy>(o.schedules, o.spurious > 0, parse_shard(o.shard).value_or(shard_slice{})); }, true},
    {"pb", "every schedule with at most --preemptions preemptions, depth first (preemption bounding, CHESS)", false,
     [](const options& o) -> std::unique_ptr<strategy> { return std::make_unique<pb_strategy>(o.schedules, o.preemptions, o.spurious > 0); }, true},
    {"ipb", "pb with bound 0, then 1, 2 ... until a finding, the budget, or a bound that leaves nothing out", false,
     [](const options& o) -> std::unique_ptr<strategy> { return std::make_unique<ipb_strategy>(o.schedules, o.spurious > 0); }, true},
    {"auto", "dpor first: verified when it ends within --schedules, else random and then pct, each with that budget (lab::model's default)", false,
     nullptr, false, true},
    {"dfs", "every choice at every point, depth first, nothing reduced (the oracle dpor is tested against)", false,
     [](const options& o) -> std::unique_ptr<strategy> { return std::make_unique<dfs_strategy>(o.schedules, o.spurious > 0); }, true},
}};

// Exhaustive strategies first: what they verify, the samplers need not sample.
constexpr auto checking = [] {
  std::array<std::string_view, registry.size()> names{};
  std::size_t n = 0;
  for (bool exhaustive : {true, false})
    for (const auto& s : registry)
      if (s.checks && s.exhaustive == exhaustive) names[n++] = s.name;
  return std::pair{names, n};
}();

}  // namespace

std::span<const strategy_info> strategies() { return registry; }

const strategy_info* find_strategy(std::string_view name) {
  for (const auto& s : registry)
    if (s.name == name) return &s;
  return nullptr;
}

std::span<const std::string_view> checking_strategies() {
  return std::span<const std::string_view>(checking.first.data(), checking.second);
}

std::string strategy_names() {
  std::string out;
  for (const auto& s : registry) out += (out.empty() ? "" : "|") + std::string(s.name);
  return out;
}

std::unique_ptr<strategy> make_strategy(const options& opts) {
  const strategy_info* s = find_strategy(opts.strategy);
  if (!s) throw std::invalid_argument(fmt::format("unknown strategy '{}' (one of {})", opts.strategy, strategy_names()));
  if (!s->make) throw std::invalid_argument(fmt::format("'{}' is a plan of strategies (lab::explore runs it), not one strategy", s->name));
  return s->make(opts);
}

}  // namespace lab
