// Who runs next: the interface every scheduling strategy implements. Strategies only choose;
// the runtime parks and wakes fibers and records every choice in the schedule.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string_view>

#include "harness/core/ids.h"
#include "harness/trace/event.h"

namespace lab {

/// A set of threads as a bitmask: bit t set means thread t is in the set.
using thread_set = std::uint64_t;

/// Number of members of `s`. Branch-free SWAR: std::popcount compiles to a libgcc call unless
/// the target has POPCNT, and this runs at every step.
constexpr std::uint64_t member_count(thread_set s) {
  if (s < 256) {  // the common case, eight threads or fewer: two nibbles of a 16-entry table
    constexpr std::uint64_t nibble_counts = 0x4332322132212110ull;
    return ((nibble_counts >> (4 * (s & 15))) & 0xf) + ((nibble_counts >> (4 * (s >> 4))) & 0xf);
  }
  s = s - ((s >> 1) & 0x5555555555555555ull);
  s = (s & 0x3333333333333333ull) + ((s >> 2) & 0x3333333333333333ull);
  s = (s + (s >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return (s * 0x0101010101010101ull) >> 56;
}

namespace detail {
/// nth_in_byte[s][n]: the n-th set bit of the byte s (8 where there is none). A random choice
/// is data-dependent: a loop over the set would mispredict at every step, a lookup does not.
inline constexpr auto nth_in_byte = [] {
  std::array<std::array<std::uint8_t, 8>, 256> t{};
  for (unsigned s = 0; s < 256; ++s) {
    unsigned n = 0;
    for (auto& e : t[s]) e = 8;
    for (unsigned b = 0; b < 8; ++b)
      if (s & (1u << b)) t[s][n++] = static_cast<std::uint8_t>(b);
  }
  return t;
}();
}  // namespace detail

/// The `n`-th (0-based) member of `s` in increasing thread order; `n` < popcount(s).
inline thread_id nth_member(thread_set s, std::uint64_t n) {
  if (s < 256) return thread_id{detail::nth_in_byte[s][n]};
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

/// What a thread will do when it runs next: the operation it stopped in front of (at a
/// scheduling point, or blocked in) and its object (no_object for spawn, join, yield ...). A
/// thread that has not run yet is about to start (op::thread_start).
struct pending_op {
  op kind = op::thread_start;
  object_id object = no_object;
};

/// One scheduling point as a strategy sees it.
struct choice_point {
  thread_set runnable = 0;        ///< two or more members
  thread_id current = no_thread;  ///< the thread that reached the point (not runnable when it blocked or finished)
  bool yielding = false;          ///< `current` called this_thread::yield
  std::uint32_t step = 0;         ///< the step about to be taken
  const pending_op* next = nullptr;  ///< next[t]: what runnable thread t does when chosen
};

/// A strategy's answer: the thread, and its rank among the runnable threads (0 = the lowest
/// id), which is what the schedule records. A strategy returns both, so the runtime never
/// recomputes either.
struct pick {
  thread_id thread = no_thread;
  std::uint32_t rank = 0;
};

/// The pick of the `rank`-th runnable thread.
inline pick pick_rank(thread_set runnable, std::uint64_t rank) {
  return {nth_member(runnable, rank), static_cast<std::uint32_t>(rank)};
}
/// The pick of thread `t`, which must be in `runnable`.
inline pick pick_thread(thread_set runnable, thread_id t) {
  return {t, static_cast<std::uint32_t>(rank_of(runnable, t))};
}

/// A scheduling strategy: one file each under harness/scheduler/, listed once in the registry
/// (registry.h). Contract: deterministic given its construction parameters and the sequence of
/// calls, so that the same exploration always makes the same choices. The runtime calls
/// `next_thread` only when at least two threads are runnable. Strategies only choose: the
/// runtime parks and wakes fibers and records the choices.
class strategy {
 public:
  virtual ~strategy() = default;
  /// The registry's name ("random", "pct"); a replay names the strategy that recorded it.
  virtual std::string_view name() const = 0;
  /// Prepares execution `index` (0-based, increasing). False when nothing is left to explore.
  virtual bool begin_execution(std::uint64_t index) = 0;
  /// Picks the next thread among `p.runnable` (two or more members).
  virtual pick next_thread(const choice_point& p) = 0;
  /// Picks a value below `bound` (>= 2) for a choice that is not about threads.
  virtual std::uint64_t next_value(std::uint64_t bound, choice_kind kind) = 0;
  /// The execution ended after `choices` choices.
  virtual void end_execution(std::uint64_t /*choices*/) {}
  /// Replay only: the program asked for a choice the recorded schedule does not have.
  virtual bool diverged() const { return false; }
  /// True when the choices of execution i depend only on the construction parameters and i
  /// (not on earlier executions): the explorer then does not record them in its fast pass and,
  /// at a finding, runs execution i again to record them.
  virtual bool regenerates_choices() const { return false; }
};

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
