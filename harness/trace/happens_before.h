// Happens-before of one execution, computed from its events with vector clocks: what the race
// detector (harness/detect/race.h) judges accesses by and what the memory model
// (harness/runtime/memory_model.h) bounds the stores a load may read by.
//
// Edges: spawn -> the child's first step, the child's last step -> join, unlock -> a later lock
// of the same mutex (a shared_mutex's readers release only to writers), semaphore release ->
// acquire, and atomics by the order each operation asked for, as RC11 states them (Lahav,
// Vafeiadis, Kang, Hur, Dreyer, "Repairing sequential consistency in C/C++11", PLDI 2017): an
// acquire load (or RMW) synchronises with the release store or RMW whose release sequence holds
// the store it read - a release store heads a new sequence and ends the others (C++20), a relaxed
// store ends them all, an RMW of any order continues them; a relaxed access synchronises
// nothing, except through fences: a release fence makes the thread's later relaxed stores
// release what came before it, an acquire fence makes what its earlier relaxed loads read from
// acquired. seq_cst operations are acquire-release on their atomic (a seq_cst store also
// acquires: more order than C++ gives, never less). With `sc_model` (--memory-model sc) every
// order counts as seq_cst and fences as nothing.
//
// Which store a load read, and where a store went in modification order: the latest one and
// the end, unless the event says otherwise (event::stale, the weak memory model). With history
// kept (keep_history), the release clocks of each atomic's latest `history` stores stay, in
// modification order, so a stale read synchronises with the store it read.
//
// Costs: O(threads used) per synchronising event; with history, one clock copy per atomic store
// (a clock is 4 KB). Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "harness/trace/event.h"
#include "harness/trace/vector_clock.h"

namespace lab {

class happens_before {
 public:
  /// The operations that add edges.
  static constexpr op_mask ops = mask_of(op::thread_spawn, op::thread_join, op::lock_acquired, op::unlock,
                                         op::atomic_load, op::atomic_store, op::atomic_rmw, op::sem_acquired,
                                         op::sem_released, op::shared_acquired, op::shared_unlock, op::atomic_fence);
  /// How many of an atomic's latest stores (the initial value counts as one) a stale read may
  /// go back to, at most: event::stale < history.
  static constexpr std::uint32_t history = weak_history;

  explicit happens_before(bool sc_model = false) : sc_model_(sc_model) {}

  /// Keeps the release clocks of each atomic's latest stores (stale reads happen). Takes effect
  /// at the next begin_execution.
  void keep_history(bool on) { keep_history_ = on; }
  bool keeps_history() const { return keep_history_; }
  bool sc_model() const { return sc_model_; }

  void begin_execution();
  void on_object(object_id id);
  /// The edges of one event (of any operation; those outside `ops` add none).
  void handle(const event& e);
  /// handle() for an event of operation O: inline, no switch.
  template <op O>
  void on(const event& e);

  /// Thread t's clock: an epoch (u, c) happens-before t's next step iff clock(t).covers(u, c).
  const vector_clock& clock(thread_id t) const { return threads_[t]; }
  vector_clock& clock(thread_id t) { return threads_[t]; }
  /// Threads whose clocks may be non-zero are below this.
  std::uint32_t threads_used() const { return threads_used_; }
  /// The order an atomic event counts with: as asked (rc11), or seq_cst (--memory-model sc).
  atomic_order order_of(const event& e) const { return sc_model_ ? atomic_order::seq_cst : e.order; }

 private:
  /// What an atomic load reads from: the latest store's release clock, or an older one's.
  const vector_clock& source(const event& e) const {
    if (e.stale == 0 || !history_on_) [[likely]]
      return syncs_[e.object];
    const auto& mo = histories_[e.object].mo;
    return mo[mo.size() - 1 - e.stale];
  }
  /// After a store or RMW that went last in mo changed syncs_[obj]: keeps it as the newest
  /// store's clock.
  void stored(object_id obj) {
    if (!history_on_) [[likely]]
      return;
    auto& mo = histories_[obj].mo;
    if (mo.size() == history) mo.pop_front();
    mo.push_back(syncs_[obj]);
  }
  /// A store placed `d` > 0 stores before the end of mo: its release clock goes there; the
  /// latest store (syncs_) stays what it was.
  void stored_before_end(const event& e, vector_clock&& released) {
    auto& mo = histories_[e.object].mo;
    mo.insert(mo.end() - e.stale, std::move(released));
    if (mo.size() > history) mo.pop_front();
  }
  /// RC11's fences: what a thread's relaxed reads read from, for an acquire fence after them.
  void relaxed_read(std::uint32_t t, const vector_clock& sync) {
    if (t >= fences_.size()) fences_.resize(threads_.size());
    fences_[t].read.acquire(sync);
  }
  /// A relaxed write after a release fence releases what the fence did.
  void fence_release(std::uint32_t t, vector_clock& sync) const {
    if (t < fences_.size() && fences_[t].fenced) fences_[t].released.release(sync);
  }

  /// Per thread, for atomic_thread_fence (grown on first use): the clock of its last release
  /// fence, and what its relaxed reads so far read from.
  struct fence_state {
    vector_clock released, read;
    bool fenced = false;
  };
  /// Per atomic, with history: the release clocks of its latest stores in mo, the latest last
  /// (at most `history`; the initial value's is empty).
  struct atomic_history {
    std::deque<vector_clock> mo;
  };
  std::vector<fence_state> fences_;
  bool sc_model_ = false;
  bool keep_history_ = false, history_on_ = false;  ///< asked for; in effect this execution
  std::vector<vector_clock> threads_ = std::vector<vector_clock>(8);  ///< grown at spawns, up to max_threads
  std::vector<vector_clock> syncs_;  ///< per object: the clock released into it (an atomic: by its latest store)
  /// per shared_mutex: what its readers released; a writer acquires it, readers do not (they
  /// are not ordered with each other)
  std::vector<vector_clock> read_syncs_;
  std::vector<atomic_history> histories_;  ///< per object, with history
  object_id nobjects_ = 0;
  std::uint32_t threads_used_ = 1;  ///< threads_[t] may be non-zero only below this
};

template <op O>
void happens_before::on(const event& e) {
  vector_clock& c = threads_[e.thread];
  if constexpr (O == op::thread_spawn) {
    auto child = static_cast<std::uint32_t>(e.arg);
    threads_used_ = std::max(threads_used_, child + 1);
    if (child >= threads_.size()) [[unlikely]]  // grown by spawns: 4 KB a clock, paid per thread used
      threads_.resize(std::min<std::size_t>(max_threads, std::max<std::size_t>(child + 1, 2 * threads_.size())));
    vector_clock& parent = threads_[e.thread];  // `c` may have moved with the resize
    threads_[child] = parent;
    threads_[child].tick(child);
    parent.tick(e.thread);
  } else if constexpr (O == op::thread_join) {
    c.acquire(threads_[static_cast<std::uint32_t>(e.arg)]);
  } else if constexpr (O == op::lock_acquired) {
    c.acquire(syncs_[e.object]);
    if (read_syncs_[e.object].size() != 0) c.acquire(read_syncs_[e.object]);  // only a shared_mutex's readers
  } else if constexpr (O == op::unlock || O == op::sem_released) {
    c.release(syncs_[e.object]);
    c.tick(e.thread);
  } else if constexpr (O == op::atomic_load) {
    if (order_of(e) != atomic_order::relaxed && order_of(e) != atomic_order::release) c.acquire(source(e));
    else relaxed_read(e.thread, source(e));
  } else if constexpr (O == op::sem_acquired || O == op::shared_acquired) {
    c.acquire(syncs_[e.object]);
  } else if constexpr (O == op::shared_unlock) {
    c.release(read_syncs_[e.object]);
    c.tick(e.thread);
  } else if constexpr (O == op::atomic_store) {
    if (e.stale > 0 && history_on_) [[unlikely]] {
      // Placed before later stores in mo: it ends no sequence of theirs, and a seq_cst store
      // acquires nothing here (it reads nothing).
      vector_clock released;
      switch (order_of(e)) {
        case atomic_order::seq_cst:
        case atomic_order::release:
        case atomic_order::acq_rel:
          released = c;
          c.tick(e.thread);
          break;
        case atomic_order::relaxed:
        case atomic_order::acquire:
          if (e.thread < fences_.size() && fences_[e.thread].fenced) released = fences_[e.thread].released;
          break;
      }
      stored_before_end(e, std::move(released));
      return;
    }
    vector_clock& s = syncs_[e.object];
    switch (order_of(e)) {
      case atomic_order::seq_cst: c.acquire_release(s); break;
      case atomic_order::release:
      case atomic_order::acq_rel: s = c; break;  // a new release sequence; the others end here
      case atomic_order::relaxed:
      case atomic_order::acquire:
        // Ends every release sequence; releases only what a release fence before it did.
        if (e.thread < fences_.size() && fences_[e.thread].fenced) s = fences_[e.thread].released;
        else s.clear();
        stored(e.object);
        return;
    }
    stored(e.object);
    c.tick(e.thread);
  } else if constexpr (O == op::atomic_rmw) {
    vector_clock& s = syncs_[e.object];
    switch (order_of(e)) {
      case atomic_order::seq_cst:
      case atomic_order::acq_rel: c.acquire_release(s); break;
      case atomic_order::acquire:
        c.acquire(s);
        fence_release(e.thread, s);
        stored(e.object);
        return;
      case atomic_order::release:
        relaxed_read(e.thread, s);
        c.release(s);  // continues the sequences it reads from
        break;
      case atomic_order::relaxed:  // continues them; synchronises through fences only
        relaxed_read(e.thread, s);
        fence_release(e.thread, s);
        stored(e.object);
        return;
    }
    stored(e.object);
    c.tick(e.thread);
  } else if constexpr (O == op::atomic_fence) {
    if (sc_model_) return;
    const atomic_order f = e.order;
    if (e.thread >= fences_.size()) fences_.resize(threads_.size());
    fence_state& mine = fences_[e.thread];
    if (f != atomic_order::release) c.acquire(mine.read);  // acquire, acq_rel, seq_cst
    if (f != atomic_order::acquire && f != atomic_order::relaxed) {
      mine.released = c;
      mine.fenced = true;
      c.tick(e.thread);
    }
  }
}

}  // namespace lab
