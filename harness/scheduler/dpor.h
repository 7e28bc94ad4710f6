// Exhaustive exploration: every distinct behaviour of a program once (dynamic partial-order
// reduction), and the unreduced choice tree it is checked against.
//
// Terms. An execution is a sequence of *transitions*: a thread runs from one point where the
// runtime picks who goes next to the next such point (harness/runtime/execution.h). A
// transition's *footprint* is what it touched: the objects of its events (mutexes, condition
// variables, atomics, shared variables, semaphores, pools, tasks, named by their birth key so
// that one object has one name in every execution), each read or written; pseudo-objects order
// spawn before start and finish before join, make spawns (which number threads) dependent, and
// stand for virtual time. Two transitions of different threads are *dependent* when their footprints
// share an object that one of them writes; executions that differ only in the order of
// independent transitions are equivalent (Mazurkiewicz traces) and form one *class*: they run
// every thread through the same operations on the same values, and end alike.
//
// dpor_strategy is Optimal-DPOR (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic partial
// order reduction", POPL 2014, Algorithm 2; "Source sets: a foundation for optimal dynamic
// partial order reduction", JACM 2017), run statelessly: each execution replays a prefix of the
// previous one and branches at the deepest point with work left. After each execution, for
// every pair of dependent accesses of different threads in a race (not ordered by
// happens-before through a third), it builds the *wakeup sequence* that reverses it - what ran
// after the first's point and does not need the first, then the second (notdep(e).e') - and,
// unless a thread that sleeps at that point could start it, inserts it into the point's
// *wakeup tree*: an ordered tree of sequences still to run from there, where a sequence that
// an existing branch already starts (up to the order of independent transitions) adds nothing.
// A new branch follows its sequence to the end, then chooses freely. Sleep sets keep a thread
// that was explored from a point asleep in its siblings until a transition dependent with it
// runs. Every class is explored (soundness), and - because a branch is only started where it
// leads out of every sleeping thread's subtree - none twice and no execution runs into a point
// where every enabled thread sleeps (optimality): executions == classes. Both are checked
// against the unreduced tree, class by class, on random programs
// (tests/harness/scheduler/dpor_test.cpp). The wakeup-tree insertion follows Nidhugg's
// (TSOTraceBuilder::race_detect_optimal): a child whose thread's transition in the sequence
// needs none of the earlier ones is walked into; one the sequence's transitions all leave
// alone already covers it.
//
// `dpor_mode::source` keeps the paper's Algorithm 1 (source sets, no wakeup trees): after a
// race it only makes sure one initial of notdep(e).e' is explored at the point, and the branch
// then chooses freely; an execution that runs into a point where every enabled thread sleeps is
// redundant ("sleep-set blocked"): it runs out round robin, unrecorded (its findings are real
// all the same), and is not counted as a class. It is kept as the baseline the optimal mode is
// measured against (lastzero: docs/performance.md).
//
// Where the optimal mode can still run a redundant execution (counted in sleep_blocked()): a
// wakeup sequence whose thread is held back by the yield rule at its point (the point then
// explores every awake thread, as the source mode does), or one whose thread is not enabled
// where the sequence wants it - a thread in a virtual-time sleep wakes when nobody else can
// run, not through a dependent transition (counted in wakeup_diverged(); docs/verification.md).
//
// Races are found between *accesses*, not transitions. A transition may hold several: a lock,
// the plain accesses under it and the unlocks (releases and plain accesses are not scheduling
// points). Which of them a dependence reaches matters: in
//   T1: lock(a) lock(b) x=1 unlock(b) unlock(a)    T2: lock(b) lock(c) x=2 ...
// T2's `lock(b) x=2` transition depends on T1's last one through x, but its acquisition of b
// does not; taken per transition, that write would order the two acquisitions of b and hide
// their race - orders of the critical sections went unexplored (nested locks with a shared
// write inside: a ring of three threads showed five of its six orders). Reversals are still
// made at transition points, where the scheduler can switch. A lock attempt that blocked (a
// probe, below) races with the acquisition that holds the lock: in a deadlocked execution it is
// the only witness of that race.
//
// What it needs from the runtime and why it is sound here:
// - It observes (strategy::observes): the runtime asks it at every switch and hands it every
//   event, so it knows each transition's thread and footprint exactly.
// - A lock, join, shared lock or semaphore acquisition that blocks is not a transition of its
//   own (a *probe*): the thread was not enabled, and the failed attempt changed nothing another
//   thread can see (those objects wake every waiter). The strategy takes the thread out of the
//   point's enabled set and picks again. A wait in a fifo mutex's queue is a transition (its
//   place in line is state).
// - A condition variable's notify and the wake-up it causes are an order, not two writes that
//   race (footprinter): the woken thread left the queue at the notify. A wait joins the queue
//   atomically with the unlock the runtime emits before it, so it is recorded before that unlock.
// - A thread's transitions are its own: a release whose object has waiters is a scheduling point
//   for the sampling strategies (execution::release_point), and dpor does not switch there (a
//   release moves left, Lipton 1975), or where a thread's transition ends would depend on who
//   waits - and a wakeup sequence would name transitions that are not there.
// - Transitions run whole. A race between two accesses is reversible only when nothing of the
//   first access's transition comes before the second; what may move before it (notdep) is
//   computed over whole transitions (transition_clocks); and a sleeping thread covers a wakeup
//   sequence only if it is independent of that first transition too (the point before the
//   first access is inside the transition, where the scheduler cannot stop).
// - Threads are numbered in spawn order: a wakeup sequence that spawns in another order renames
//   the children it runs (rename_spawned).
// - A thread that yields ranks below every thread enabled when it yielded until each of them has
//   run (yield_rule, harness/scheduler/choice_stack.h): the fairness assumption of CHESS
//   (Musuvathi, Qadeer, PLDI 2008), without which a spin loop has infinite executions. Spin
//   loops still make a class per round that sees a different value. It prunes by assumption
//   (a bounded spin that gives up is not run to its give-up while another thread could run),
//   and which transition satisfies it is not invariant under reordering, so the oracle compares
//   classes with the rule off on bounded spin loops (`fair_yields`).
// - Choices that are not about threads (spurious wake-ups, the event loop's ready task) are
//   explored in full: every value at every such point, except that a thread wakes spuriously at
//   most once per execution (and never when `spurious` is off): a wait in a correct predicate
//   loop that woke spuriously for ever would be an infinite execution, not a bug.
// - Plain accesses (lab::shared) are in the footprints, so races between them are ordered both
//   ways as the unreduced choice tree orders them.
// Splitting the space (--shard I/N). The first d branching thread points of every execution
// (d = ceil(log2(16N)), so at least 16N prefixes) are *split points*: every enabled thread that
// is awake is explored from them (a superset of a source set), and no race reversal is placed
// at or before them. The choices made there - a prefix - are numbered in depth-first order, the
// same in every slice (each slice runs at least one execution through every prefix, so the
// points, their sleep sets and the order are alike everywhere), and slice I explores the
// subtrees of the prefixes numbered I-1 mod N (the executions that only walk past another
// slice's prefix are not counted). Sound: the union of the slices explores what one search with
// full backtrack sets at the split points would, and sleep sets stay sound because a sibling
// put to sleep has its subtree explored in full - by whichever slices own its prefixes. The
// price is the split points' full sets: some classes are explored once per prefix they extend.
// A split space runs the source mode: a split point's branches are free continuations, which
// a source set allows and the optimal mode's sleep-set argument does not (with wakeup trees
// below free split points, the slice oracle saw a class reached only by a sleep-set-blocked
// execution). So --shard and --jobs > 1 are sound and not optimal.
//
// Cost: per execution, O(a * t) words for happens-before over its a accesses and t threads,
// plus the replay, plus per race a wakeup sequence of at most n transitions and its insertion;
// memory O(n) nodes and the wakeup trees along the current path. Thread-safety: one instance per exploring OS thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "harness/core/options.h"
#include "harness/scheduler/choice_stack.h"
#include "harness/scheduler/strategy.h"

namespace lab {

/// One object a transition touched, and how. Acquire and release are writes that order
/// (lock, unlock, a semaphore's permits); they differ in which earlier access a race is with:
/// an acquisition races with the previous acquisition, not with the unlock between them (which
/// the lock's own order puts first), and an unlock with the failed try_locks it follows.
/// `order` is an edge of happens-before that no interleaving can reverse (spawn before start,
/// finish before join): it orders, but is never in a race.
struct footprint_entry {
  enum class access : std::uint8_t { read, write, acquire, release, order };
  std::uint64_t key = 0;  ///< an object id, or a pseudo-object (dpor_keys)
  access how = access::read;
  friend bool operator==(const footprint_entry&, const footprint_entry&) = default;
};

/// What one transition touched: each key once (the strongest access kept: acquire, then the
/// other writes, then read) for dependence, and every access in the order it was made for the
/// race analysis. A transition runs from one scheduling point to the next and may hold several
/// operations (a lock, plain accesses, an unlock: releases and plain accesses are not points),
/// and which of them a dependence reaches matters: a write after an acquisition that depends on
/// the thread that last held the lock does not order the acquisition itself.
class footprint {
 public:
  void add(footprint_entry e);
  /// As add, but placed before the release that ends the sequence so far (if one does): for an
  /// access the runtime makes atomically with that release (a condition variable's wait).
  void add_before_release(footprint_entry e);
  /// The key and access an event implies, added (nothing for events that touch nothing
  /// shared); `object_key` is the event's object's birth key (execution::birth_key), which
  /// names it alike in every execution.
  void add_event(const event& e, std::uint64_t object_key);
  bool empty() const { return entries_.empty(); }
  void clear() {
    entries_.clear();
    sequence_.clear();
    all_ = writes_ = 0;
  }
  const std::vector<footprint_entry>& entries() const { return entries_; }
  /// Every access in order (an access that repeats the one just before it is left out).
  const std::vector<footprint_entry>& sequence() const { return sequence_; }
  /// True when the two share a key that one of them writes.
  bool dependent(const footprint& o) const;
  friend bool operator==(const footprint&, const footprint&) = default;

 private:
  std::vector<footprint_entry> entries_;
  std::vector<footprint_entry> sequence_;
  /// One bit per key (a hash of it) for every access, and for those that are not reads: two
  /// footprints can only be dependent when one's writes meet the other's accesses here.
  std::uint64_t all_ = 0, writes_ = 0;
};

/// Footprints of a whole execution's events, for what one event alone does not tell: a
/// condition variable's notify and the wake-up it causes are an order (the notify writes a
/// pseudo-object of each thread it wakes, the woken thread's return orders after it), not two
/// accesses to the variable that could race - the woken thread left the variable's queue at
/// the notify. It mirrors the runtime's queue (oldest waiter first, execution::wake_one).
/// One instance per execution being observed; begin_execution() before each.
class footprinter {
 public:
  void begin_execution() { waiting_.clear(); }
  /// What `e` touched, added to `f` (footprint::add_event, with the rule above).
  void add(footprint& f, const event& e, std::uint64_t object_key);

 private:
  std::vector<std::pair<std::uint64_t, thread_id>> waiting_;  ///< (condition variable, waiter), oldest first
};

/// The pseudo-objects of footprints: above every object id.
namespace dpor_keys {
constexpr std::uint64_t started(thread_id t) { return (std::uint64_t{1} << 32) | t.value; }  ///< spawn -> start
constexpr std::uint64_t ended(thread_id t) { return (std::uint64_t{5} << 32) | t.value; }    ///< finish -> join
constexpr std::uint64_t clock = std::uint64_t{2} << 32;
constexpr std::uint64_t forks = std::uint64_t{3} << 32;
constexpr std::uint64_t spawns = std::uint64_t{4} << 32;  ///< thread ids go by spawn order
constexpr std::uint64_t woken(thread_id t) { return (std::uint64_t{6} << 32) | t.value; }  ///< notify -> wake-up
}  // namespace dpor_keys

/// Which DPOR (see above): optimal (wakeup trees) or source sets alone.
enum class dpor_mode : std::uint8_t { optimal, source };

/// Optimal-DPOR, or Source-DPOR with sleep sets (see above). Deterministic. begin_execution(i) is false once the space is
/// exhausted or `budget` executions were made.
class dpor_strategy final : public strategy {
 public:
  /// `slice`: the part of the space to explore (the whole by default). `fair_yields`: the yield
  /// rule (above); off, every schedule of a yielding thread is explored (finite only when every
  /// spin loop is bounded: the oracle's programs).
  dpor_strategy(std::uint64_t budget, bool spurious, shard_slice slice = {}, bool fair_yields = true,
                dpor_mode mode = dpor_mode::optimal);
  std::string_view name() const override { return "dpor"; }
  bool begin_execution(std::uint64_t index) override;
  pick next_thread(const choice_point& p) override;
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override;
  void end_execution(std::uint64_t choices) override;
  bool observes() const override { return true; }
  void observe(const event& e, std::uint64_t object_key) override;
  bool exhausted() const override { return exhausted_; }
  std::uint64_t classes() const override { return classes_; }
  bool owns_last() const override { return last_owned_; }
  /// The executions so far plus, for every point on the current path, the alternatives still
  /// to explore there times the mean size of the subtrees already explored there (the one under
  /// way when none is done): Knuth's estimate of a tree's size from its profile ("Estimating
  /// the efficiency of backtrack programs", 1975), as GenMC's estimation mode reports one. It
  /// grows more accurate as the search goes on; early it tends to be low.
  std::uint64_t estimated_total() const override;
  /// estimated_total with its 95% half-width: each point's remaining branches add the variance
  /// of the sizes of the branches done there (strategy::knuth_estimate).
  knuth_estimate estimated_by_knuth() const override;
  /// Executions that ran into a point where every enabled thread slept (redundant): 0 in the
  /// optimal mode except where the header says.
  std::uint64_t sleep_blocked() const { return sleep_blocked_; }
  /// Optimal mode: wakeup-tree branches that could not be followed where they were to run (a
  /// thread not enabled there, or blocked when tried). Each is a place where the reduction's
  /// guarantees rest on the program alone; the oracle requires 0 on its programs.
  std::uint64_t wakeup_diverged() const { return diverged_; }
  /// True when a replayed prefix did not make the same choices available (a program that is
  /// not deterministic given its schedule): the exploration is then not exhaustive.
  bool nondeterministic() const { return nondeterministic_; }

  /// The transitions of the last execution, for tests: (thread, footprint) in order.
  struct transition {
    thread_id thread;
    footprint touched;
  };
  std::vector<transition> last_trace() const;

 private:
  /// Something another transition of this thread left asleep: not to be run until a
  /// transition dependent with `touched` runs.
  struct sleeper {
    thread_id thread;
    std::shared_ptr<const footprint> touched;  ///< shared down the path: a sleeper is copied into every node below
  };
  /// A node of a wakeup tree: a transition to run (its thread, what it touched when it ran, the
  /// values its value points took) and the sequences to run after it, in order. `unknown`: the
  /// transition was not seen from here (a thread the yield rule held back, a split point): it
  /// counts as dependent with everything.
  struct wnode {
    thread_id thread = no_thread;
    footprint touched;
    std::vector<std::uint64_t> values;
    bool unknown = false;
    std::vector<wnode> children;
  };
  /// One point of the current execution where the runtime asked, and what ran from it.
  struct node {
    bool value_point = false;     ///< a choice that is not about threads
    /// Value points: the value taken, the number of values, and the order they are tried in:
    /// `start` first (the one a wakeup sequence asks for; 0 otherwise), then the rest upwards;
    /// `turn` counts the values tried.
    std::uint64_t value = 0, bound = 0, start = 0, turn = 0;
    thread_set arrival;           ///< thread points: runnable on arrival, less a yielder
    thread_set enabled;           ///< arrival less the probes
    std::vector<thread_id> probes;  ///< picks whose attempt blocked, in order (replayed as made)
    /// The object each probe waited for (~0: a join): a blocked acquisition races with the one
    /// that holds the object, which a deadlocked execution never shows otherwise.
    std::vector<std::uint64_t> probe_keys;
    thread_id chosen = no_thread;   ///< the thread that runs the transition (value points: the running one)
    bool guided = false;          ///< optimal: `chosen` came from the wakeup tree
    thread_set backtrack;         ///< source mode: threads to explore from here (includes explored ones)
    std::vector<wnode> wut;       ///< optimal mode: the wakeup tree's branches still to run from here
    std::vector<sleeper> sleep;   ///< asleep on arrival
    std::vector<sleeper> explored;  ///< explored from here, with what their transition touched
    footprint touched;            ///< the transition from here in this execution
    thread_set held_back;         ///< left out of `enabled` by the yield rule
    bool split = false;           ///< a split point (see "Splitting the space")
    std::uint64_t entered_at = 0;   ///< executions_ when the branch under way from here began
    std::uint64_t done_branches = 0, done_executions = 0;  ///< branches from here explored to their end
    double done_squares = 0;  ///< the sum of the squares of those branches' executions
    std::uint32_t splits_before = 0;  ///< split points before this node
  };
  /// One past the last split point of the current execution (0 when unsplit).
  std::size_t prefix_end() const;

  void finish_transition();
  /// The next point: the replayed one, or a new one with its sleep set. Sets the cursor.
  node& open_node(bool value_point, bool& fresh);
  pick choose(const choice_point& p);
  pick choose_here(node& n, const choice_point& p);
  /// The pick in a sleep-set-blocked execution: round robin.
  pick run_out(const choice_point& p);
  /// Races of the last execution, and the threads to explore that reverse them.
  void analyse();
  /// Makes sure the reversed race of access `first_access` (in transition j) and an access of
  /// thread `tk` in transition k (or, for a probe, its blocked attempt at k's point) is
  /// explored from the thread point of j: source mode, one of the initials of notdep(j).k
  /// (Algorithm 1); optimal mode, the wakeup sequence (insert_reversal). `k_row` is that
  /// access's clock.
  /// `racing`: the access of k as it would be made first; `upto`: its place in k's footprint
  /// sequence (~0 for a probe, whose attempt is not in it).
  void reverse(std::int32_t first_access, std::size_t k, thread_id tk, const std::int32_t* k_row,
               footprint_entry racing, std::size_t upto);
  /// The transition-level clocks of the last execution (hb_.tclocks, hb_.point).
  void transition_clocks();
  /// Transition m (any node of it) comes after thread point i, transitions taken as wholes.
  bool transition_after(std::size_t i, std::size_t m) const;
  /// Transition x happens before transition y in the last execution (analyse() computed it).
  bool happens_before(std::size_t x, std::size_t y) const;
  /// Optimal mode: the wakeup sequence that reverses the race of j and k (notdep(i).k, i the
  /// thread point of j), inserted into the wakeup tree of i unless a sleeping thread starts it.
  /// `first`: what i's transition touched, whole.
  void insert_reversal(std::size_t i, std::size_t k, thread_id tk, footprint_entry racing, std::size_t upto,
                       const footprint& first);
  /// Renames the threads v's spawns make, as a run of v from i would number them.
  void rename_spawned(std::size_t i, std::span<wnode> v) const;
  /// Inserts wakeup sequence v[0, count) into the tree whose branches are `level` (see
  /// insert_reversal); v's elements are moved from or reordered.
  static void insert_sequence(std::vector<wnode>& level, std::vector<wnode>& v, std::size_t count);
  /// After value point idx took a new value: follows the wakeup branch that asked for it, if any.
  void follow_value_branch(std::size_t idx);
  /// Makes `c` (a branch of n's wakeup tree) the transition from n: its thread, its values for
  /// the value points that follow, its children for the next thread point.
  void adopt(node& n, wnode&& c);
  /// Sets up the next execution at the deepest point with work left; false when none is.
  bool backtrack();
  static bool asleep(const node& n, thread_id t);
  static bool explored(const node& n, thread_id t);

  std::uint64_t budget_;
  std::vector<node> nodes_;
  std::size_t replay_depth_ = 0;  ///< nodes [0, replay_depth_) replay; the last of them branches
  std::size_t cursor_ = 0;        ///< the node the running transition belongs to
  std::size_t probe_cursor_ = 0;  ///< probes of the cursor's node made so far in this execution
  bool replaying_probe_ = false;  ///< the running transition is a recorded probe
  thread_id running_ = no_thread; ///< whose transition runs now
  bool blocked_ = false;          ///< this execution ran into a sleep-set-blocked point
  bool only_probe_events_ = true; ///< the running transition's events are all failed acquisitions
  bool saw_probe_ = false;        ///< ... and there was one
  std::uint64_t probe_key_ = ~std::uint64_t{0};  ///< the object the last probe event waited for
  dpor_mode mode_;
  std::vector<wnode> stash_;      ///< optimal: the wakeup branches for the next thread point to open
  std::vector<std::uint64_t> guide_values_;  ///< optimal: the values the running transition is to take
  std::size_t guide_cursor_ = 0;  ///< ... how many it took
  bool exhausted_ = false;
  bool nondeterministic_ = false;
  bool started_ = false;
  spurious_rule spurious_;
  yield_rule yields_;
  footprinter footprints_;
  std::uint64_t classes_ = 0, sleep_blocked_ = 0, diverged_ = 0;
  shard_slice slice_;
  std::uint64_t executions_ = 0;   ///< executions ended so far
  /// estimated_total and its half-width while the search goes on (one walk up the path).
  knuth_estimate profile() const;

  std::uint32_t split_depth_ = 0;  ///< d; 0 when the space is not split
  std::uint64_t prefix_number_ = 0;  ///< of the current execution's prefix, in depth-first order
  bool owned_ = true;              ///< the current prefix is this slice's
  bool last_owned_ = true;         ///< owned_ of the execution that ended last
  bool marking_splits_ = true;     ///< the current execution is its prefix's first: it marks split points
  std::size_t split_end_ = 0;      ///< prefix_end() of the execution analyse() looks at
  /// The keys of the last execution numbered densely, for analyse() and transition_clocks(): an
  /// open-addressing table kept between executions, so that an execution's analysis allocates
  /// nothing once the largest has been seen.
  class key_numbers {
   public:
    /// Forgets every key; room for `at_most` of them.
    void reset(std::size_t at_most);
    /// The key's number (0, 1, ... in order of first sight); `fresh` when it was given now.
    std::uint32_t number(std::uint64_t key, bool& fresh);
    std::uint32_t size() const { return count_; }

   private:
    static constexpr std::uint64_t empty = ~std::uint64_t{0};
    std::vector<std::uint64_t> keys_;
    std::vector<std::uint32_t> numbers_;
    std::vector<std::uint32_t> used_;
    std::uint32_t count_ = 0;
  };
  /// What the analysis keeps per key: the last access that is not a read, the last acquisition,
  /// the reads since that write (accesses, or transitions in transition_clocks()).
  struct key_state {
    std::int32_t last_write = -1;
    std::int32_t last_acquire = -1;
    std::vector<std::int32_t> reads;
  };
  key_numbers key_numbers_;
  std::vector<wnode> scratch_;  ///< insert_reversal's sequence, kept so that its memory is reused
  std::vector<std::size_t> scratch_from_, scratch_to_;
  footprint whole_;             ///< the first transition's footprint, for the same reason
  std::vector<key_state> access_keys_, transition_keys_;
  /// Happens-before of the last execution's accesses (analyse()); kept to reuse the memory.
  struct {
    std::uint32_t width = 1;           ///< threads
    std::vector<std::int32_t> clocks;  ///< [access * width + thread]: its last access before
    std::vector<std::int32_t> first, last;  ///< per node: its first and last access
    std::vector<std::uint32_t> node_of;      ///< per access: its node
    std::vector<std::size_t> point;          ///< per node: the thread point its transition began at
    std::vector<std::int32_t> tclocks;       ///< [point * width + thread]: transition_clocks()
  } hb_;
};

/// Every choice at every point, in depth-first order: the unreduced choice tree, the oracle
/// DPOR is tested against. Deterministic. begin_execution(i) is false once the tree is
/// exhausted or `budget` executions were made.
class dfs_strategy final : public strategy {
 public:
  /// `spurious`: as dpor_strategy's (at most one spurious wake-up per thread and execution).
  /// `fair_yields`: as dpor_strategy's.
  dfs_strategy(std::uint64_t budget, bool spurious, bool fair_yields = true)
      : budget_(budget), spurious_(spurious), yields_(fair_yields) {}
  std::string_view name() const override { return "dfs"; }
  bool begin_execution(std::uint64_t index) override;
  pick next_thread(const choice_point& p) override;
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override;
  void end_execution(std::uint64_t choices) override;
  bool exhausted() const override { return exhausted_; }
  std::uint64_t classes() const override { return 0; }
  bool observes() const override { return true; }  ///< to know which thread asks for a value

 private:
  std::uint64_t budget_;
  spurious_rule spurious_;
  yield_rule yields_;
  thread_id running_ = no_thread;
  choice_stack stack_;
  bool exhausted_ = false;
};

}  // namespace lab
