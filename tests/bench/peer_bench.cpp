// conlab against Relacy on the reference workloads W1 and W2, one core each, side by side.
//
// Usage: conlab_peer_bench [ROUNDS] [SCALE]   (defaults 7 and 1)
//        conlab_peer_bench --profile W1|W2 N    conlab alone, N executions: for callgrind and perf
// Each round runs, in this order, conlab W1, Relacy W1, conlab W2, Relacy W2 - interleaved, so
// that a noisy neighbour slows both tools alike - with the workloads' sizes of docs/performance.md (W1
// 1,000,000 executions, W2 100,000; times SCALE). Both use their random strategy, one job, race
// detection on; conlab runs every detector it has. Prints every round's rates, then per
// workload the median over the rounds of conlab's rate divided by Relacy's (the figure that
// counts: a ratio measured side by side), and the host's load average before and after.
// Exit status 1 if a workload is not clean under either tool (a bug in one of them).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "harness/explore/explorer.h"
#include "tests/bench/relacy_workloads.h"
#include "tests/bench/workloads.h"

namespace {

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a.empty() ? "unknown" : fmt::format("{} {} {}", a, b, c);
}

struct sample {
  double conlab = 0, relacy = 0;  // executions per second
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

bool clean = true;

double conlab_rate(void (*body)(), std::uint64_t n) {
  auto r = lab::explore("bench", body, {.strategy = "random", .schedules = n, .jobs = 1});
  if (r.result != lab::verdict::clean || r.stats.executions != n) clean = false;
  return static_cast<double>(r.stats.executions) / r.stats.elapsed_s;
}

double relacy_rate(relacy_result (*run)(std::uint64_t), std::uint64_t n) {
  relacy_result r = run(n);
  if (!r.clean) clean = false;
  return static_cast<double>(n) / r.seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--profile") {
    auto n = std::strtoull(argv[3], nullptr, 10);
    double rate = conlab_rate(std::string(argv[2]) == "W2" ? &lab::bench::w2 : &lab::bench::w1, n);
    fmt::print("{} conlab {:.0f}/s\n", argv[2], rate);
    return clean ? 0 : 1;
  }
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  double scale = argc > 2 ? std::max(0.001, std::atof(argv[2])) : 1.0;
  auto n1 = static_cast<std::uint64_t>(1'000'000 * scale), n2 = static_cast<std::uint64_t>(100'000 * scale);
  fmt::print("peer benchmark: conlab vs Relacy, random strategy, one job; W1 {} executions, W2 {} per run; "
             "{} interleaved rounds\nload average before: {}\n",
             n1, n2, rounds, load_average());
  std::vector<sample> w1s, w2s;
  for (int r = 0; r < rounds; ++r) {
    sample a, b;
    a.conlab = conlab_rate(&lab::bench::w1, n1);
    a.relacy = relacy_rate(&relacy_w1, n1);
    b.conlab = conlab_rate(&lab::bench::w2, n2);
    b.relacy = relacy_rate(&relacy_w2, n2);
    fmt::print("round {}: W1 conlab {:.0f}/s Relacy {:.0f}/s ({:.2f}x); W2 conlab {:.0f}/s Relacy {:.0f}/s ({:.2f}x)\n",
               r + 1, a.conlab, a.relacy, a.conlab / a.relacy, b.conlab, b.relacy, b.conlab / b.relacy);
    std::fflush(stdout);
    w1s.push_back(a);
    w2s.push_back(b);
  }
  auto summary = [](const char* name, const std::vector<sample>& s) {
    std::vector<double> ratio, c, r;
    for (const auto& x : s) {
      ratio.push_back(x.conlab / x.relacy);
      c.push_back(x.conlab);
      r.push_back(x.relacy);
    }
    fmt::print("{}: conlab/Relacy median ratio {:.2f} (min {:.2f}, max {:.2f}); median rates conlab {:.0f}/s, "
               "Relacy {:.0f}/s\n",
               name, median(ratio), *std::min_element(ratio.begin(), ratio.end()),
               *std::max_element(ratio.begin(), ratio.end()), median(c), median(r));
  };
  summary("W1", w1s);
  summary("W2", w2s);
  // W3: W1 explored to its end - conlab's dpor against Relacy's full and context-bound searches.
  auto t0 = std::chrono::steady_clock::now();
  auto w3 = lab::explore("W3", lab::bench::w1, {.strategy = "dpor", .schedules = 1000000});
  double w3_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  clean = clean && w3.result == lab::verdict::clean && w3.stats.exhaustive;
  fmt::print("W3: conlab dpor {} executions ({} classes, exhaustive: {}) in {:.3f} ms", w3.stats.executions,
             w3.stats.classes, w3.stats.exhaustive, w3_s * 1e3);
  for (unsigned bound : {0u, 1u, 2u, 3u}) {
    relacy_search r = relacy_w1_search(bound);
    clean = clean && r.clean;
    fmt::print("; Relacy {} {} executions in {:.3f} ms", bound == 0 ? "full search" : fmt::format("context bound {}", bound),
               r.executions, r.seconds * 1e3);
  }
  fmt::print("\n");
  // dpor's rate on W1 and W2 (each explored to its end, or 100,000 executions).
  struct workload {
    const char* name;
    void (*body)();
  };
  for (auto [name, body] : {workload{"W1", &lab::bench::w1}, workload{"W2", &lab::bench::w2}}) {
    // Explorations repeated for half a second at least: W1's whole space is 6 executions.
    auto t1 = std::chrono::steady_clock::now();
    std::uint64_t executions = 0, explorations = 0;
    lab::run_report d;
    double s = 0;
    do {
      d = lab::explore(name, body, {.strategy = "dpor", .schedules = 100000});
      clean = clean && d.result == lab::verdict::clean;
      executions += d.stats.executions;
      ++explorations;
      s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    } while (s < 0.5);
    fmt::print("{} dpor: {} executions per exploration ({} classes, exhaustive: {}); {} explorations in {:.3f} s, "
               "{:.0f} executions/s\n",
               name, d.stats.executions, d.stats.classes, d.stats.exhaustive, explorations, s,
               static_cast<double>(executions) / s);
  }
  fmt::print("load average after: {}\n", load_average());
  if (!clean) fmt::print("a workload was not clean: a bug in conlab or Relacy\n");
  return clean ? 0 : 1;
}
