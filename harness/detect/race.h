// Data races on plain shared variables, found by happens-before with vector clocks.
//
// The algorithm is FastTrack's (Flanagan, Freund, "FastTrack: Efficient and Precise Dynamic Race
// Detection", PLDI 2009): the last write is kept as an epoch (thread, clock); reads since that
// write as one epoch per reading thread. Happens-before comes from spawn/join, mutex
// unlock->lock and atomics, by the order each operation asked for (the C++ model as RC11 states
// it: Lahav, Vafeiadis, Kang, Hur, Dreyer, "Repairing sequential consistency in C/C++11", PLDI
// 2017): an acquire load (or RMW) synchronises with the release store or RMW whose release
// sequence it reads from - a release store heads a new sequence and ends the others (C++20), a
// relaxed store ends them all, an RMW of any order continues them; a relaxed access
// synchronises nothing. seq_cst operations are acquire-release on the atomic, as before (a
// seq_cst store also acquires: more order than C++ gives, never less - no race is invented).
// The lab runs atomics sequentially consistently, so a load reads the latest store in the
// execution, which is the store whose clock the atomic holds. --memory-model sc: every order as
// seq_cst. Precise: it reports a race exactly when two accesses, one a write, are unordered by
// happens-before - whichever order the schedule ran them in.
#pragma once

#include <array>
#include <vector>

#include "harness/detect/context.h"
#include "harness/detect/lock_table.h"
#include "harness/detect/vector_clock.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting the first data race of an execution to a finding_sink as `data_race`,
/// naming both accesses (thread, read or write, step, source line, locks held).
class race_detector final : public event_sink, private lock_aware {
 public:
  static constexpr op_mask ops =
      mask_of(op::read, op::write, op::thread_spawn, op::thread_join, op::lock_acquired, op::unlock, op::atomic_load,
              op::atomic_store, op::atomic_rmw, op::sem_acquired, op::sem_released, op::shared_acquired,
              op::shared_unlock, op::atomic_fence);
  static constexpr sink_hooks hooks{.objects = true};

  /// On its own: keeps its own lock table (detailed executions name the locks held).
  explicit race_detector(finding_sink& out) : out_(&out) {}
  /// In a detector set: reads the set's lock table.
  explicit race_detector(const detector_context& c)
      : lock_aware(c.locks), out_(&c.out), sc_model_(c.opts.memory_model == "sc") {}
  void begin_execution(bool detailed) override;
  void on_object(object_id id, const object_traits& traits) override;
  void on_event(const event& e) override {
    handle(e);
    update_own(e);
  }
  op_mask interest() const override { return ops | lock_table::ops; }
  /// on_event without the own table's update.
  void handle(const event& e);
  /// handle() for an event of operation O, which a detector set calls: inline, no switch.
  template <op O>
  void on(const event& e) {
    vector_clock& c = threads_[e.thread];
    if constexpr (O == op::read) {
      on_read(e);
    } else if constexpr (O == op::write) {
      on_write(e);
    } else if constexpr (O == op::thread_spawn) {
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
      if (order_of(e) != atomic_order::relaxed && order_of(e) != atomic_order::release) c.acquire(syncs_[e.object]);
      else relaxed_read(e.thread, syncs_[e.object]);
    } else if constexpr (O == op::sem_acquired || O == op::shared_acquired) {
      c.acquire(syncs_[e.object]);
    } else if constexpr (O == op::shared_unlock) {
      c.release(read_syncs_[e.object]);
      c.tick(e.thread);
    } else if constexpr (O == op::atomic_store) {
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
          return;
      }
      c.tick(e.thread);
    } else if constexpr (O == op::atomic_rmw) {
      vector_clock& s = syncs_[e.object];
      switch (order_of(e)) {
        case atomic_order::seq_cst:
        case atomic_order::acq_rel: c.acquire_release(s); break;
        case atomic_order::acquire:
          c.acquire(s);
          fence_release(e.thread, s);
          return;
        case atomic_order::release:
          relaxed_read(e.thread, s);
          c.release(s);  // continues the sequences it reads from
          break;
        case atomic_order::relaxed:  // continues them; synchronises through fences only
          relaxed_read(e.thread, s);
          fence_release(e.thread, s);
          return;
      }
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
  /// RC11's fences: what a thread's relaxed reads read from, for an acquire fence after them.
  void relaxed_read(std::uint32_t t, const vector_clock& sync) {
    if (t >= fences_.size()) fences_.resize(threads_.size());
    fences_[t].read.acquire(sync);
  }
  /// A relaxed write after a release fence releases what the fence did.
  void fence_release(std::uint32_t t, vector_clock& sync) const {
    if (t < fences_.size() && fences_[t].fenced) fences_[t].released.release(sync);
  }
  /// The order an atomic event counts with: as asked (rc11), or seq_cst (--memory-model sc).
  atomic_order order_of(const event& e) const { return sc_model_ ? atomic_order::seq_cst : e.order; }

 private:
  static constexpr std::size_t max_locks_kept = 4;
  struct access_meta {
    std::uint32_t step = 0;
    std::source_location loc{};
    std::array<object_id, max_locks_kept> locks{};
    std::uint8_t nlocks = 0;
  };
  struct read_epoch {
    thread_id thread = no_thread;
    std::uint32_t clock = 0;
    access_meta meta;
  };
  struct var_state {
    thread_id writer = no_thread;
    std::uint32_t write_clock = 0;
    access_meta write_meta;
    std::vector<read_epoch> reads;  ///< reads since the last write, one per thread
  };

  void on_read(const event& e) {
    var_state& v = vars_[e.object];
    const vector_clock& c = threads_[e.thread];
    if (v.writer != no_thread && v.writer != e.thread && !c.covers(v.writer, v.write_clock))
      race(e, v.writer, true, v.write_meta);
    std::uint32_t now = c.get(e.thread);
    for (auto& r : v.reads)
      if (r.thread == e.thread) {
        r.clock = now;
        fill(r.meta, e);
        return;
      }
    read_epoch& r = v.reads.emplace_back();
    r.thread = e.thread;
    r.clock = now;
    fill(r.meta, e);
  }
  void on_write(const event& e) {
    var_state& v = vars_[e.object];
    const vector_clock& c = threads_[e.thread];
    if (v.writer != no_thread && v.writer != e.thread && !c.covers(v.writer, v.write_clock))
      race(e, v.writer, true, v.write_meta);
    for (const auto& r : v.reads)
      if (r.thread != e.thread && !c.covers(r.thread, r.clock)) race(e, r.thread, false, r.meta);
    v.writer = e.thread;
    v.write_clock = c.get(e.thread);
    fill(v.write_meta, e);
    v.reads.clear();
  }
  /// Fills `m` in place (building it on the stack and copying costs a store-forwarding stall
  /// on every access). The locks held are kept only in a detailed execution.
  void fill(access_meta& m, const event& e) const {
    m.step = e.step;
    m.loc = e.loc;
    m.nlocks = 0;
    if (detailed_) fill_locks(m, e.thread);
  }
  void fill_locks(access_meta& m, thread_id t) const;
  [[gnu::cold]] void race(const event& e, thread_id prev_thread, bool prev_write, const access_meta& prev);

  finding_sink* out_;
  /// Per thread, for atomic_thread_fence (grown on first use): the clock of its last release
  /// fence, and what its relaxed reads so far read from.
  struct fence_state {
    vector_clock released, read;
    bool fenced = false;
  };
  std::vector<fence_state> fences_;
  bool sc_model_ = false;  ///< --memory-model sc: every atomic order counts as seq_cst
  std::vector<vector_clock> threads_ = std::vector<vector_clock>(8);  ///< grown at spawns, up to max_threads
  std::vector<vector_clock> syncs_;  ///< per object: the clock released into it
  /// per shared_mutex: what its readers released; a writer acquires it, readers do not (they
  /// are not ordered with each other)
  std::vector<vector_clock> read_syncs_;
  std::vector<var_state> vars_;      ///< per object (used for shared variables)
  object_id nobjects_ = 0;
  bool detailed_ = true;  ///< the locks held at each access are recorded: they explain a race, not decide one
  std::uint32_t threads_used_ = 1;  ///< threads_[t] may be non-zero only below this
  bool reported_ = false;
};

}  // namespace lab
