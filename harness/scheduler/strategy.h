// Who runs next: the interface every scheduling strategy implements. Strategies only choose;
// the runtime parks and wakes fibers and records every choice in the schedule.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <string>

#include "harness/core/ids.h"
#include "harness/core/options.h"

namespace lab {

/// A set of threads as a bitmask: bit t set means thread t is in the set.
using thread_set = std::uint64_t;

/// Number of members of `s`. Branch-free SWAR: std::popcount compiles to a libgcc call unless
/// the target has POPCNT, and this runs at every step.
constexpr std::uint64_t member_count(thread_set s) {
  s = s - ((s >> 1) & 0x5555555555555555ull);
  s = (s & 0x3333333333333333ull) + ((s >> 2) & 0x3333333333333333ull);
  s = (s + (s >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return (s * 0x0101010101010101ull) >> 56;
}

/// The `n`-th (0-based) member of `s` in increasing thread order; `n` < popcount(s).
inline thread_id nth_member(thread_set s, std::uint64_t n) {
  for (; n > 0; --n) s &= s - 1;
  return static_cast<thread_id>(std::countr_zero(s));
}

/// Position of `t` among the members of `s` (the inverse of nth_member).
inline std::uint64_t rank_of(thread_set s, thread_id t) {
  return member_count(s & ((thread_set{1} << t) - 1));
}

/// What a non-thread choice decides, so a strategy can weigh its options.
enum class choice_kind : std::uint8_t {
  spurious_wakeup,  ///< 1 = a condition-variable wait returns without a notify
  ready_task,       ///< which of the event loop's ready tasks resumes next (0 = the oldest)
};

/// A scheduling strategy. Contract: deterministic given its construction parameters and the
/// sequence of calls, so that the same exploration always makes the same choices. The runtime
/// calls `next_thread` only when at least two threads are runnable.
class strategy {
 public:
  virtual ~strategy() = default;
  virtual std::string name() const = 0;
  /// Prepares execution `index` (0-based, increasing). False when nothing is left to explore.
  virtual bool begin_execution(std::uint64_t index) = 0;
  /// Picks the next thread among `runnable` (two or more members). `current` is the thread
  /// that reached the scheduling point; `yielding` is true when it called this_thread::yield.
  virtual thread_id next_thread(thread_set runnable, thread_id current, bool yielding) = 0;
  /// Picks a value below `bound` (>= 2) for a choice that is not about threads.
  virtual std::uint64_t next_value(std::uint64_t bound, choice_kind kind) = 0;
  /// The execution ended after `choices` choices.
  virtual void end_execution(std::uint64_t /*choices*/) {}
  /// Replay only: the program asked for a choice the recorded schedule does not have.
  virtual bool diverged() const { return false; }
};

/// The strategy named by `opts.strategy` ("random" or "pct"), seeded from `opts.seed`.
/// Replay strategies are made from a token with `make_replay` (harness/scheduler/replay.h).
std::unique_ptr<strategy> make_strategy(const options& opts);

/// SplitMix64 (Steele, Lea, Flood, OOPSLA 2014): a fast, well-mixed 64-bit generator. Each
/// execution gets its own generator seeded from (seed, index), so execution i makes the same
/// choices whichever worker runs it and whatever ran before.
struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform below `bound` (Lemire's multiply-shift; the bias is below 2^-32 for our bounds).
  std::uint64_t below(std::uint64_t bound) {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<u128>(next()) * bound) >> 64);
  }
  static splitmix64 for_execution(std::uint64_t seed, std::uint64_t index) {
    splitmix64 g{seed ^ (index * 0xd1b54a32d192ed03ull)};
    g.next();
    return g;
  }
};

}  // namespace lab
