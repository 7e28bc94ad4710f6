// long_task_head_of_line, fixed: long requests go to a pool of their own (in Python: a process
// pool), so a short request never queues behind fib(32).
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "harness/exercise.h"

namespace {

std::uint64_t fib(int n) {
  std::uint64_t a = 0, b = 1;
  for (int i = 0; i < n; ++i) b = std::exchange(a, b) + b;
  return a;
}

/// What a request costs the server in CPU time: the naive recursive fib(n) of the documents'
/// demo makes 2 fib(n+1) - 1 calls, about 300 ns each in CPython, plus 50 us of request
/// handling. fib(32): about 2.1 s; fib(1): about 50 us.
std::chrono::nanoseconds cpu_cost(int n) {
  return std::chrono::nanoseconds((2 * fib(n + 1) - 1) * 300) + std::chrono::microseconds(50);
}

std::uint64_t serve(int n) {
  lab::this_thread::work(cpu_cost(n));
  return fib(n);
}

}  // namespace

LAB_EXERCISE(long_task_head_of_line) {
  lab::thread_pool requests{1, "requests"};
  lab::thread_pool long_requests{1, "long_requests"};
  lab::thread long_client([&] {
    for (int i = 0; i < 2; ++i) {
      auto reply = long_requests.submit([] { return serve(32); });
      lab::assert_that(reply.get() == 2178309, "fib(32) is right");
    }
  });
  std::vector<lab::thread> short_clients;
  for (int c = 0; c < 4; ++c)
    short_clients.push_back(lab::thread([&] {
      for (int i = 0; i < 5; ++i) {
        auto start = lab::now();
        auto reply = requests.submit([] { return serve(1); });
        lab::assert_that(reply.get() == 1, "fib(1) is right");
        lab::record_latency("short request latency", lab::now() - start);
      }
    }));
  long_client.join();
  for (auto& c : short_clients) c.join();
}
