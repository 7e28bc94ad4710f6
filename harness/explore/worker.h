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
  explicit worker(const options& opts) : detectors(ex, opts) {
    ex.attach(&detectors);
    ex.set_samples(&samples);
  }
  void run(const body_fn& body, strategy& strat, const rt::run_mode& mode) {
    ex.run([](void* p) { (*static_cast<const body_fn*>(p))(); }, const_cast<body_fn*>(&body), strat, mode);
  }
};

/// An execution to report: its index in the exploration, its choices and its verdict.
struct candidate {
  std::uint64_t index = 0;
  schedule choices;
  verdict kind = verdict::clean;
};

}  // namespace lab
