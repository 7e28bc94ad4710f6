// The weak memory model: which stores an atomic load may read, under C++'s model as RC11 states
// it (Lahav, Vafeiadis, Kang, Hur, Dreyer, "Repairing sequential consistency in C/C++11", PLDI
// 2017). The runtime asks it before every atomic load of a program that uses orders weaker than
// seq_cst; the load then reads one of those stores, and which one is a choice the strategy makes
// and the schedule records (choice_kind::reads_from), so every strategy explores stale reads and
// a replay reads the same stores.
//
// Terms. The stores of an atomic, the initial value first, are in modification order (mo); a
// store's position is its index there. A store goes where it may in mo - another choice
// (choice_kind::store_order; 0 = last): after every store its thread must see (below, CoWW and
// CoRW), never between an RMW and the store the RMW read (atomicity), a seq_cst store after the
// latest seq_cst store. RMWs always go last. A load of thread T may read store s unless a store
// after s in mo is one T must see:
//   - coherence (CoWR, CoRR): a store that happens-before the load, or a store another access
//     that happens-before the load read or wrote (T's own earlier accesses included);
//   - seq_cst (RC11's psc, as far as kept here): a seq_cst load sees the latest seq_cst store
//     to its atomic, and what a seq_cst fence before it in S (the order seq_cst operations ran
//     in) was told; a seq_cst fence joins what every earlier seq_cst fence saw (the global view
//     of the promising semantics, Kang et al., POPL 2017), and passes it on with happens-before;
//   - the last `happens_before::history` stores only (older ones are out of reach);
//   - a spin loop: a thread that read the same stale store of an atomic twice, with nothing
//     but loads, plain reads, yields and sleeps in between, reads something newer the third
//     time (a bound on the exploration, not on the model: without it a relaxed spin loop has
//     unboundedly many executions).
// RMWs read the latest store (atomicity). No load reads a store that has not run yet, so there
// are no out-of-thin-air values (RC11 forbids po u rf cycles).
//
// Costs: O(threads) per load (a binary search per thread that touched the atomic); the event
// stream of the execution goes through happens_before. Not thread-safe: one per execution.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/trace/event.h"
#include "harness/trace/happens_before.h"

namespace lab::rt {

class memory_model {
 public:
  memory_model() { hb_.keep_history(true); }
  void begin_execution();
  /// An object's first use in this execution (before its first event).
  void on_object(object_id id);
  /// Every event of the execution, in order, after it took place.
  void on_event(const event& e);
  /// How many stores before the latest a load by `t` of atomic `obj` with order `o` may read
  /// (0: only the latest).
  std::uint32_t stale_window(thread_id t, object_id obj, atomic_order o) const;
  /// Where a plain store by `t` of `obj` with order `o` may go in mo, as distances from the end
  /// (0: last, always allowed), increasing; written to `out`, their count returned.
  std::uint32_t store_places(thread_id t, object_id obj, atomic_order o, std::uint8_t* out) const;

 private:
  /// An access to an atomic: at epoch `epoch` of its thread, it read or wrote store `store`.
  struct seen {
    std::uint32_t epoch, store;
  };
  /// A thread's latest load of a location: it read `store`, `repeats` times running, with no
  /// effect in between (the thread's effects count was `effects` at each).
  struct repeat {
    std::uint32_t store = 0, repeats = 0, effects = ~0u;
  };
  struct location {
    std::uint32_t stores = 1;   ///< in mo, the initial value first
    std::uint32_t last_sc = 0;  ///< the latest seq_cst store (0: the initial value)
    std::vector<std::vector<seen>> by_thread;  ///< per thread, increasing in both fields
    std::vector<repeat> repeats;               ///< per thread
    std::vector<bool> rmw;                     ///< per mo position: the store there is an RMW
  };
  /// The latest position in mo that `t` must see of `l` (a load or store of order `o`).
  std::uint32_t floor_of(const location& l, thread_id t, atomic_order o) const;
  /// Makes room at mo position `p`: every position at or past it moves up by one.
  static void insert_at(location& l, std::uint32_t p);
  /// The latest store of `l` that `t` must see through thread u's accesses, given what `t`
  /// knows of u (its clock's u component).
  static std::uint32_t floor_from(const location& l, std::uint32_t u, std::uint32_t known);
  void saw(object_id obj, thread_id t, std::uint32_t epoch, std::uint32_t store);
  location& at(object_id obj) {
    if (obj >= locs_.size()) locs_.resize(obj + 1);
    return locs_[obj];
  }

  happens_before hb_{false};
  std::vector<location> locs_;
  vector_clock sc_view_;            ///< what seq_cst fences so far saw (the global view)
  /// per thread: how many events with an effect (anything but loads, plain reads, yields and
  /// sleeps) it took
  std::vector<std::uint32_t> effects_;
};

}  // namespace lab::rt
