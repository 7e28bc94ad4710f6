// Livelock: threads keep running, none gets anything done.
#pragma once

#include <algorithm>
#include <array>

#include "harness/detect/context.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink reporting `livelock` when a thread yields `window` steps after the last progress.
/// Progress is an effect another thread could observe or wait for: a write or store, a
/// read-modify-write, a notify, a semaphore release, a thread's end. Taking and releasing locks,
/// failed try_locks, loads and reads are not progress: they are what two politely backing-off
/// threads do for ever. A spin loop that yields while another thread makes progress is
/// therefore not a livelock; one that waits for something no thread will ever do is - but not
/// while some thread sleeps or computes (sleep_for, work) until a later virtual time: that is
/// progress still to come. (A loop
/// that never yields ends at the step limit instead, and a blocked program is a deadlock.)
/// Only progress events and yields reach it, which keeps it off the hot path.
/// The report names every thread that yielded in the window, how often, and the last line.
/// Default window: 5,000 steps, a quarter of the default step limit.
class livelock_detector final : public event_sink {
 public:
  static constexpr op_mask progress_ops = mask_of(op::write, op::atomic_store, op::atomic_rmw, op::cv_notify_one,
                                                  op::cv_notify_all, op::sem_released, op::thread_finish);
  static constexpr op_mask ops = progress_ops | mask_of(op::yield, op::sleep, op::work);
  static constexpr sink_hooks hooks{};

  livelock_detector(finding_sink& out, std::uint64_t window) : out_(&out), window_(window) {}
  /// In a detector set: --livelock-steps.
  explicit livelock_detector(const detector_context& c) : livelock_detector(c.out, c.opts.livelock_steps) {}
  void begin_execution(bool detailed) override;
  void on_event(const event& e) override {
    if (window_ == 0 || reported_) return;
    if (e.kind == op::sleep || e.kind == op::work) {
      busy_until_ = std::max(busy_until_, e.time + e.arg);
      return;
    }
    if ((progress_ops & mask_of(e.kind)) || e.time < busy_until_) {
      last_progress_ = e.step;
      return;
    }
    yielded(e);
  }
  op_mask interest() const override { return ops; }

 private:
  /// A yield without progress: counts it, and reports once the window is full.
  void yielded(const event& e);
  struct activity {
    std::uint32_t since = 0;  ///< the progress step these counts are from (older: stale, zero)
    std::uint32_t steps = 0;
    std::source_location last{};
  };
  finding_sink* out_;
  std::uint64_t window_;
  std::uint32_t last_progress_ = 0;
  std::uint64_t busy_until_ = 0;  ///< virtual time until which some thread sleeps or computes
  /// Per thread, its yields since the last progress; an entry from before it counts as zero, so
  /// progress costs O(1), not a reset of every entry.
  std::array<activity, max_threads> active_{};
  std::uint32_t threads_used_ = 0;
  bool reported_ = false;
};

}  // namespace lab
