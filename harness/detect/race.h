// Data races on plain shared variables, found by happens-before with vector clocks.
//
// The algorithm is FastTrack's (Flanagan, Freund, "FastTrack: Efficient and Precise Dynamic Race
// Detection", PLDI 2009): the last write is kept as an epoch (thread, clock); reads since that
// write as one epoch per reading thread. Happens-before comes from spawn/join, mutex
// unlock->lock and atomics (sequentially consistent for now, so every atomic operation is an
// acquire-release on the atomic). Precise: it reports a race exactly when two accesses, one a
// write, are unordered by happens-before - whichever order the schedule ran them in.
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
              op::shared_unlock);
  static constexpr sink_hooks hooks{.objects = true};

  /// On its own: keeps its own lock table (detailed executions name the locks held).
  explicit race_detector(finding_sink& out) : out_(&out) {}
  /// In a detector set: reads the set's lock table.
  explicit race_detector(const detector_context& c) : lock_aware(c.locks), out_(&c.out) {}
  void begin_execution(bool detailed) override;
  void on_object(object_id id, const object_traits& traits) override;
  void on_event(const event& e) override {
    handle(e);
    update_own(e);
  }
  op_mask interest() const override { return ops; }
  /// on_event without the own table's update: what a detector set calls.
  void handle(const event& e);

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

  void on_read(const event& e);
  void on_write(const event& e);
  /// Fills `m` in place (building it on the stack and copying costs a store-forwarding stall
  /// on every access).
  void fill(access_meta& m, const event& e) const;
  void race(const event& e, thread_id prev_thread, bool prev_write, const access_meta& prev);

  finding_sink* out_;
  std::array<vector_clock, max_threads> threads_;
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
