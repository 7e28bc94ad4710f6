// Starvation: a thread that keeps wanting a resource while others keep getting it.
//
// Calibrated against two anchors. Go's sync.Mutex switches to starvation mode once a waiter has
// waited 1 ms (src/sync/mutex.go, starvationThresholdNs), so an unfair lock that passes a waiter
// over again and again is a known failure, not a curiosity. glibc's default rwlock
// (PTHREAD_RWLOCK_PREFER_READER_NP) lets overlapping readers starve a writer indefinitely.
// Defaults: reported once the resource was granted to others 50 times while the thread waited
// (the reference workload W2, four threads taking one mutex ten times each, passes a waiter over
// at most 30 times and stays clean), with no minimum wait in virtual time (set one with
// --starve-ms, e.g. Go's 1 ms, when the scenario models time with sleep_for or lab::work).
#pragma once

#include <array>
#include <vector>

#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

struct starvation_limits {
  std::uint64_t grants = 50;   ///< times the resource went to others while the thread waited; 0: off
  std::uint64_t min_wait_ns = 0;  ///< and the thread waited at least this long in virtual time
};

/// Event sink reporting the first `starvation` of an execution: who waited, for what (a mutex, a
/// shared_mutex either way, a semaphore permit), since which step and line, for how many steps
/// and how long in virtual time, and who got the resource meanwhile, how often, and where.
/// A definite finding: the execution ends there.
class starvation_detector final : public event_sink {
 public:
  starvation_detector(finding_sink& out, starvation_limits limits) : out_(&out), limits_(limits) {}
  void begin_execution(bool detailed) override;
  void on_event(const event& e) override;
  op_mask interest() const override {
    return mask_of(op::lock_blocked, op::shared_blocked, op::sem_blocked, op::lock_acquired, op::shared_acquired,
                   op::sem_acquired);
  }

 private:
  struct rival {
    thread_id thread = no_thread;
    std::uint32_t count = 0;
    std::source_location last{};
  };
  struct want {
    bool active = false;
    object_id object = no_object;
    wait_info::on what = wait_info::on::mutex;
    std::uint32_t since_step = 0;
    std::uint64_t since_time = 0;
    std::source_location loc{};
    std::uint64_t passed_over = 0;
    std::vector<rival> rivals;  ///< who got it meanwhile; kept only when detailed_ (it explains, not decides)
  };
  void report(thread_id waiter, const want& w, const event& now);

  finding_sink* out_;
  starvation_limits limits_;
  std::array<want, max_threads> wants_{};
  thread_id threads_used_ = 0;
  std::uint32_t waiting_ = 0;  ///< threads with an active want: skips the scan when none
  bool detailed_ = true;
  bool reported_ = false;
};

}  // namespace lab
