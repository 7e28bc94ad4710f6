// The reference workloads W1 and W2 (docs/performance.md) written for Relacy (Dmitry Vyukov's Relacy Race
// Detector, Debian's relacy-dev), the peer conlab's speed is measured against. Its own
// translation unit: Relacy's headers define their own std look-alikes and need no conlab header.
#include "tests/bench/relacy_workloads.h"

#include <relacy/relacy.hpp>

#include <chrono>
#include <sstream>

namespace {

// W1: 3 threads, each once: lock(m); x = x + 1; unlock(m); then x == 3. Relacy's test suite
// has no main thread: its threads are the workers, and after() is the check after the join.
struct w1 : rl::test_suite<w1, 3> {
  rl::var<int> x;
  rl::mutex m;
  void before() { x($) = 0; }
  void thread(unsigned) {
    m.lock($);
    x($) = x($) + 1;
    m.unlock($);
  }
  void after() { RL_ASSERT(x($) == 3); }
};

// W2: 4 threads, each 10 times: lock(m); x = x + 1; unlock(m); a.fetch_add(1).
struct w2 : rl::test_suite<w2, 4> {
  rl::var<int> x;
  rl::mutex m;
  rl::atomic<int> a;
  void before() {
    x($) = 0;
    a($) = 0;
  }
  void thread(unsigned) {
    for (int i = 0; i < 10; ++i) {
      m.lock($);
      x($) = x($) + 1;
      m.unlock($);
      a.fetch_add(1, rl::memory_order_seq_cst);
    }
  }
  void after() { RL_ASSERT(x($) == 40 && a.load(rl::memory_order_seq_cst) == 40); }
};

template <class Test>
relacy_result simulate(std::uint64_t executions) {
  rl::test_params p;
  p.iteration_count = executions;
  p.search_type = rl::random_scheduler_type;  // as conlab's random strategy
  std::ostringstream quiet;
  p.output_stream = &quiet;
  p.progress_stream = &quiet;
  auto t0 = std::chrono::steady_clock::now();
  bool ok = rl::simulate<Test>(p);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {ok, s};
}

}  // namespace

relacy_result relacy_w1(std::uint64_t executions) { return simulate<w1>(executions); }

relacy_search relacy_w1_search(unsigned context_bound) {
  rl::test_params p;
  p.iteration_count = 100000000;  // the search ends first
  p.search_type = context_bound == 0 ? rl::fair_full_search_scheduler_type : rl::fair_context_bound_scheduler_type;
  p.context_bound = context_bound;
  std::ostringstream quiet;
  p.output_stream = &quiet;
  p.progress_stream = &quiet;
  auto t0 = std::chrono::steady_clock::now();
  bool ok = rl::simulate<w1>(p);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {ok, static_cast<std::uint64_t>(p.stop_iteration), s};
}
relacy_result relacy_w2(std::uint64_t executions) { return simulate<w2>(executions); }
