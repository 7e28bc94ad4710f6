// One runtime with its detectors: what each exploring OS thread owns (the explorer's and the
// minimiser's unit of work). Not thread-safe: one per OS thread.
#pragma once

#include <cstdint>

#include "harness/core/options.h"
#include "harness/core/verdict.h"
#include "harness/explore/detector_set.h"
#include "harness/explore/explorer.h"
#include "harness/runtime/execution.h"
#include "harness/trace/samples.h"
#include "harness/trace/schedule.h"

namespace lab {

struct worker {
  rt::execution ex;
  detector_set detectors;
  sample_store samples;  ///< what every execution of this worker measured
  /// `weak`: the weak memory model on (set_weak_memory); never under --memory-model sc.
  worker(const options& opts, bool weak) : detectors(ex, opts), rc11_(opts.memory_model != "sc") {
    ex.attach(&detectors);
    ex.set_samples(&samples);
    set_weak_memory(weak);
  }
  /// Loads may read stale stores (harness/runtime/memory_model.h), for the runtime and the race
  /// detector alike; from the next execution on.
  void set_weak_memory(bool on) {
    ex.set_weak_memory(on && rc11_);
    detectors.set_weak_memory(on && rc11_);
  }
  /// The program asked for an order weaker than seq_cst in an execution run without the weak
  /// memory model: the explorer starts again with it.
  bool needs_weak_memory() const { return rc11_ && !ex.weak_memory() && ex.saw_weaker_orders(); }
  void run(const body_fn& body, strategy& strat, const rt::run_mode& mode) {
    ex.run([](void* p) { (*static_cast<const body_fn*>(p))(); }, const_cast<body_fn*>(&body), strat, mode);
  }

 private:
  bool rc11_;
};

/// An execution to report: its index in the exploration, its choices and its verdict.
struct candidate {
  std::uint64_t index = 0;
  schedule choices;
  verdict kind = verdict::clean;
  bool weak = false;  ///< it ran under the weak memory model (a replay must too)
};

}  // namespace lab
