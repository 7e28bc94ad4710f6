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
