// Test helper: a finding_sink that keeps what it is given.
#pragma once

#include <vector>

#include "harness/trace/finding.h"

namespace lab::test {

struct collect final : finding_sink {
  std::vector<finding> found;
  void report(finding f) override { found.push_back(std::move(f)); }
};

/// Builds events for detector tests: thread, op, object, arg; step counts up by one per event;
/// every event takes place at virtual time `time` (set it to move the clock).
struct trace_builder {
  std::uint32_t step = 0;
  std::uint64_t time = 0;
  event operator()(std::uint32_t t, op kind, object_id obj = no_object, std::uint64_t arg = 0) {
    event e;
    e.kind = kind;
    e.thread = thread_id{t};
    e.object = obj;
    e.arg = arg;
    e.step = ++step;
    e.time = time;
    return e;
  }
};

}  // namespace lab::test
