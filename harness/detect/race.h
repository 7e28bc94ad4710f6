// Data races on plain shared variables, found by happens-before with vector clocks.
//
// The algorithm is FastTrack's (Flanagan, Freund, "FastTrack: Efficient and Precise Dynamic Race
// Detection", PLDI 2009): the last write is kept as an epoch (thread, clock); reads since that
// write as one epoch per reading thread. Happens-before is harness/trace/happens_before.h's
// (spawn/join, locks, semaphores, and atomics by the order each operation asked for, as RC11
// states it; a stale read synchronises with the store it read). Precise: it reports a race
// exactly when two accesses, one a write, are unordered by happens-before - whichever order the
// schedule ran them in.
#pragma once

#include <array>
#include <vector>

#include "harness/detect/context.h"
#include "harness/detect/lock_table.h"
#include "harness/trace/happens_before.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting the first data race of an execution to a finding_sink as `data_race`,
/// naming both accesses (thread, read or write, step, source line, locks held).
class race_detector final : public event_sink, private lock_aware {
 public:
  static constexpr op_mask ops = mask_of(op::read, op::write) | happens_before::ops;
  static constexpr sink_hooks hooks{.objects = true};

  /// On its own: keeps its own lock table (detailed executions name the locks held).
  explicit race_detector(finding_sink& out) : out_(&out) {}
  /// In a detector set: reads the set's lock table.
  explicit race_detector(const detector_context& c)
      : lock_aware(c.locks), out_(&c.out), hb_(c.opts.memory_model == "sc") {}
  void begin_execution(bool detailed) override;
  void on_object(object_id id, const object_traits& traits) override;
  void on_event(const event& e) override {
    handle(e);
    update_own(e);
  }
  op_mask interest() const override { return ops | lock_table::ops; }
  /// Stale reads happen (the weak memory model): a load synchronises with the store it read.
  void keep_history(bool on) { hb_.keep_history(on); }
  /// on_event without the own table's update.
  void handle(const event& e);
  /// handle() for an event of operation O, which a detector set calls: inline, no switch.
  template <op O>
  void on(const event& e) {
    if constexpr (O == op::read) on_read(e);
    else if constexpr (O == op::write) on_write(e);
    else hb_.on<O>(e);
  }

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
    const vector_clock& c = hb_.clock(e.thread);
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
    const vector_clock& c = hb_.clock(e.thread);
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
  happens_before hb_;
  std::vector<var_state> vars_;      ///< per object (used for shared variables)
  object_id nobjects_ = 0;
  bool detailed_ = true;  ///< the locks held at each access are recorded: they explain a race, not decide one
  bool reported_ = false;
};

}  // namespace lab
