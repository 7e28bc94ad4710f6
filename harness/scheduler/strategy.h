// Who runs next: the interface every scheduling strategy implements. Strategies only choose;
// the runtime parks and wakes fibers and records every choice in the schedule.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string_view>

#include "harness/core/ids.h"
#include "harness/core/thread_set.h"
#include "harness/trace/event.h"

namespace lab {

/// The `n`-th (0-based) member of `s` in increasing thread order; `n` < s.size().
inline thread_id nth_member(const thread_set& s, std::uint64_t n) { return s.nth(n); }
/// Number of members of `s`.
inline std::uint64_t member_count(const thread_set& s) { return s.size(); }
/// Position of `t` among the members of `s` (the inverse of nth_member).
inline std::uint64_t rank_of(const thread_set& s, thread_id t) { return s.rank(t); }

/// What a non-thread choice decides, so a strategy can weigh its options.
enum class choice_kind : std::uint8_t {
  spurious_wakeup,  ///< 1 = a condition-variable wait returns without a notify
  ready_task,       ///< which of the event loop's ready tasks resumes next (0 = the oldest)
  reads_from,       ///< which store an atomic load reads: 0 = the latest, k = k stores before it
  spurious_failure, ///< 1 = a compare_exchange_weak that could succeed fails
  store_order,      ///< where an atomic store goes in modification order: 0 = last, k = before the last k
};
/// A spurious wake-up or failure: offered only with --spurious, once per thread and execution
/// by the exhaustive strategies.
constexpr bool is_spurious(choice_kind k) {
  return k == choice_kind::spurious_wakeup || k == choice_kind::spurious_failure;
}

/// What a thread will do when it runs next: the operation it stopped in front of (at a
/// scheduling point, or blocked in) and its object (no_object for spawn, join, yield ...). A
/// thread that has not run yet is about to start (op::thread_start).
struct pending_op {
  op kind = op::thread_start;
  object_id object = no_object;
};

/// One scheduling point as a strategy sees it.
struct choice_point {
  const thread_set& runnable;     ///< two or more members (one or more for a strategy that observes)
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
inline pick pick_rank(const thread_set& runnable, std::uint64_t rank) {
  return {nth_member(runnable, rank), static_cast<std::uint32_t>(rank)};
}
/// The pick of thread `t`, which must be in `runnable`.
inline pick pick_thread(const thread_set& runnable, thread_id t) {
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
  /// True for a strategy that must see the whole execution (DPOR, harness/scheduler/dpor.h):
  /// the runtime then also calls next_thread where only one thread is runnable (a choice the
  /// schedule does not record, since it has one answer), so that every switch between threads
  /// goes through the strategy, and hands it every event, in order, through observe().
  virtual bool observes() const { return false; }
  /// An event of the execution (only for a strategy that observes), with its object's birth
  /// key (execution::birth_key: the same object in every execution; 0 without an object).
  virtual void observe(const event& /*e*/, std::uint64_t /*object_key*/) {}
  /// True once the strategy has explored every execution it can tell apart (exhaustive
  /// strategies; begin_execution then returns false).
  virtual bool exhausted() const { return false; }
  /// How many of the executions so far were of distinct classes (equivalent executions counted
  /// once); for a strategy that does not tell them apart, 0.
  virtual std::uint64_t classes() const { return 0; }
  /// Bounded strategies (pb, ipb): true when a bound left out schedules, so that an exhausted
  /// search covered only the schedules within it.
  virtual bool pruned() const { return false; }
  /// Bounded strategies: every schedule with at most this many preemptions was explored (-1:
  /// no bound was explored to its end, or the strategy is not bounded).
  virtual std::int64_t complete_bound() const { return -1; }
  /// A strategy exploring one slice of a split space (--shard, dpor): false when the last
  /// execution only led to a part of the space another slice explores. Its result is that
  /// slice's to report: the explorer counts it as work done and looks no further.
  virtual bool owns_last() const { return true; }
  /// Exhaustive strategies cut short by their budget: an estimate of the executions the whole
  /// search would make (0: no estimate).
  virtual std::uint64_t estimated_total() const { return 0; }
  /// estimated_total with its uncertainty (Knuth, "Estimating the efficiency of backtrack
  /// programs", Math. Comp. 29, 1975; Kilby et al., AAAI 2006, for a depth-first search's own
  /// profile): `mean` is the estimate of the whole search's executions and `half_width` its 95%
  /// half-width, from the spread of the sizes of the subtrees already done at each point.
  /// Branches the search has not found yet are in neither, so early figures run low; `paths`
  /// is the executions behind it (0: no estimate).
  struct knuth_estimate {
    double mean = 0;
    double half_width = 0;
    std::uint64_t paths = 0;
  };
  virtual knuth_estimate estimated_by_knuth() const { return {}; }
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
