// long_task_head_of_line: the fib server. Short requests queue behind long ones on one worker.
#include <optional>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
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

/// A server computes fib(n) for its clients. One client sends two long requests (fib(32)), four
/// clients send five short ones each (fib(1)) and measure how long each takes. Broken: every
/// request goes to the same single worker, first come first served, so a short request that
/// arrives while a long one runs waits the whole 2 s. Fixed: long requests go to a pool of
/// their own (in Python: a process pool), and short ones never queue behind them.
template <bool SeparatePool>
void run() {
  lab::thread_pool requests{1, "requests"};
  std::optional<lab::thread_pool> long_requests;
  if constexpr (SeparatePool) long_requests.emplace(1, "long_requests");
  lab::thread_pool& for_long = SeparatePool ? *long_requests : requests;

  lab::thread long_client([&] {
    for (int i = 0; i < 2; ++i) {
      auto reply = for_long.submit([] { return serve(32); });
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

}  // namespace

void add_long_task_head_of_line(std::vector<scenario>& out) {
  constexpr std::string_view mode = "starvation";
  out.push_back({"long_task_head_of_line", "broken", mode, verdict::starvation,
                 "long and short requests share one worker: short ones wait behind fib(32)", &run<false>});
  out.push_back({"long_task_head_of_line", "fixed", mode, verdict::clean,
                 "long requests get a pool of their own; short ones never queue behind them", &run<true>});
}

}  // namespace lab::scenarios
