// Task lifecycle errors of the event loop: coroutines never awaited, exceptions never retrieved.
#pragma once

#include <string_view>
#include <vector>

#include "harness/detect/context.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"

namespace lab {

/// Event sink following every coroutine task from coro_created to coro_dropped, and reporting
/// when one is dropped:
///  - `never_awaited`: it was neither awaited nor spawned - its body never ran (asyncio's
///    "RuntimeWarning: coroutine 'foo' was never awaited");
///  - `task_exception_lost`: it was spawned, ended with an exception, and nobody retrieved its
///    result (asyncio's "Task exception was never retrieved"): with where it was spawned.
/// Both are definite; the first of an execution is reported. And, when the loop reports it
/// (coro_orphaned):
///  - `task_orphaned`: a spawned task was still pending when the loop's main task finished, so
///    asyncio.run cancelled it and the rest of its work was lost: with where it was spawned.
///    Potential (a definite finding of the same execution takes precedence); the first only.
class task_lifecycle_detector final : public event_sink {
 public:
  static constexpr op_mask ops = mask_of(op::coro_created, op::coro_scheduled, op::coro_awaited, op::coro_suspended,
                                         op::coro_retrieved, op::coro_dropped, op::coro_orphaned);
  static constexpr sink_hooks hooks{};

  explicit task_lifecycle_detector(finding_sink& out) : out_(&out) {}
  explicit task_lifecycle_detector(const detector_context& c) : out_(&c.out) {}
  void begin_execution(bool detailed) override;
  void on_event(const event& e) override;
  op_mask interest() const override { return ops; }

 private:
  struct coro {
    bool known = false;
    bool started = false;
    bool spawned = false;
    bool failed = false;  ///< ended with an exception
    bool retrieved = false;
    event created{};
    event spawned_at{};
    event ended{};
  };
  coro& of(object_id id);
  finding_sink* out_;
  std::vector<coro> coros_;  ///< indexed by object id
  bool reported_ = false;
  bool orphan_reported_ = false;
};

}  // namespace lab
