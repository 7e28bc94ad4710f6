// W1 and W2 under Relacy (relacy_workloads.cpp), for the peer benchmark.
#pragma once

#include <cstdint>

struct relacy_result {
  bool clean = false;  ///< Relacy found nothing (the workloads are correct)
  double seconds = 0;
};

/// Runs `executions` executions of W1 / W2 under Relacy's random scheduler.
relacy_result relacy_w1(std::uint64_t executions);
relacy_result relacy_w2(std::uint64_t executions);

/// W3 on Relacy's side: W1 under its full search (context_bound 0) or its context-bound search
/// (bound 1, 2, 3 ...), to the end. `executions`: what the search made (its stop_iteration).
struct relacy_search {
  bool clean = false;
  std::uint64_t executions = 0;
  double seconds = 0;
};
relacy_search relacy_w1_search(unsigned context_bound);
