#include "harness/scheduler/dpor.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "harness/lab.h"
#include "harness/runtime/execution.h"

#ifndef CONLAB_SANITIZED_BUILD
#define CONLAB_SANITIZED_BUILD 0
#endif

namespace lab {
namespace {

// Programs the oracle compares: 520 here; the sanitizer builds check the strategy's own code
// under the sanitizer with fewer (the algorithm is the same).
constexpr int oracle_programs = CONLAB_SANITIZED_BUILD ? 60 : 520;
// The brute force's budget: a program it cannot exhaust within it is too big to compare. Smaller
// under the sanitizers, where a too-big program's 4,000 unreduced executions cost the most.
constexpr std::uint64_t brute_limit = CONLAB_SANITIZED_BUILD ? 1000 : 4000;

struct explored {
  std::uint64_t executions = 0;
  std::uint64_t classes = 0;
  bool exhausted = false;
};

/// Runs `body` under `s` until it is exhausted (or `limit` executions), with no detector.
explored run_all(strategy& s, const std::function<void()>& body, std::uint64_t limit = 100000,
                 const std::function<void()>& after = {}) {
  rt::execution ex;
  explored r;
  auto call = [](void* f) { (*static_cast<const std::function<void()>*>(f))(); };
  for (std::uint64_t i = 0; i < limit && s.begin_execution(i); ++i) {
    ex.run(call, const_cast<std::function<void()>*>(&body), s, {.max_steps = 5000});
    ++r.executions;
    if (after) after();
  }
  r.classes = s.classes();
  r.exhausted = s.exhausted();
  return r;
}

/// A canonical form of a trace's class: each thread's transitions in order, and for every
/// object the order of the accesses to it, reads between two writes as a set. Two executions
/// are equivalent exactly when these agree.
std::string canonical_class(const std::vector<dpor_strategy::transition>& trace) {
  std::map<std::uint32_t, std::vector<std::string>> per_thread;
  std::map<std::uint64_t, std::vector<std::string>> per_key;  // write runs and read sets
  std::map<std::uint64_t, std::set<std::string>> pending_reads;
  std::map<std::uint32_t, int> ordinal;
  for (const auto& t : trace) {
    int n = ordinal[t.thread.value]++;
    std::string fp;
    for (const auto& e : t.touched.entries()) fp += fmt::format("{:x}/{} ", e.key, static_cast<int>(e.how));
    per_thread[t.thread.value].push_back(fp);
    std::string who = fmt::format("T{}#{}", t.thread.value, n);
    for (const auto& e : t.touched.entries()) {
      if (e.how == footprint_entry::access::read) {
        pending_reads[e.key].insert(who);
        continue;
      }
      auto& reads = pending_reads[e.key];
      if (!reads.empty()) per_key[e.key].push_back(fmt::format("R{{{}}}", fmt::join(reads, ",")));
      reads.clear();
      per_key[e.key].push_back(who);
    }
  }
  std::string out;
  for (const auto& [t, fps] : per_thread) out += fmt::format("T{}: {}\n", t, fmt::join(fps, "; "));
  for (const auto& [k, seq] : per_key) out += fmt::format("{:x}: {}\n", k, fmt::join(seq, " "));
  return out;
}

TEST(Dpor, IndependentThreadsAreOneClass) {
  for (int n = 1; n <= 4; ++n) {
    auto body = [n] {
      std::vector<lab::thread> ts;
      for (int i = 0; i < n; ++i)
        ts.emplace_back([] {
          lab::atomic<int> mine{0};
          mine.store(1);
          mine.store(2);
        });
      for (auto& t : ts) t.join();
    };
    dpor_strategy s(1000, false);
    auto r = run_all(s, body);
    EXPECT_TRUE(r.exhausted);
    EXPECT_EQ(r.classes, 1u) << n << " threads";
    EXPECT_EQ(r.executions, 1u) << n << " threads";
  }
}

TEST(Dpor, CriticalSectionsUnderOneLockAreNFactorial) {
  const std::uint64_t factorial[] = {1, 1, 2, 6, 24};
  for (int n = 1; n <= 4; ++n) {
    auto body = [n] {
      lab::mutex m;
      lab::shared<int> x{0};
      std::vector<lab::thread> ts;
      for (int i = 0; i < n; ++i)
        ts.emplace_back([&] {
          lab::lock_guard g(m);
          x = x + 1;
        });
      for (auto& t : ts) t.join();
    };
    dpor_strategy s(10000, false);
    auto r = run_all(s, body, 10000);
    EXPECT_TRUE(r.exhausted);
    EXPECT_EQ(r.classes, factorial[n]) << n << " threads";
    EXPECT_EQ(r.executions, factorial[n]) << n << " threads";
  }
}

TEST(Dpor, W1ThreeCriticalSectionsAreSixClasses) {
  // W1 of the peer benchmark: three threads, each incrementing a counter under one mutex.
  auto body = [] {
    lab::mutex m;
    lab::shared<int> x{0};
    auto work = [&] {
      for (int i = 0; i < 1; ++i) {
        lab::lock_guard g(m);
        x = x + 1;
      }
    };
    lab::thread a(work), b(work), c(work);
    a.join();
    b.join();
    c.join();
    lab::assert_that(x.load() == 3, "x == 3");
  };
  dpor_strategy s(1000, false);
  auto r = run_all(s, body);
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.classes, 6u);
}

// ---- The oracle: DPOR's outcomes equal those of every schedule, on random programs ----

/// A small program from a grammar of lab operations: 2-4 threads, each a few operations on
/// two mutexes, two atomics, two plain shared variables, a condition variable with a flag,
/// try_lock and a nested spawn/join. What each thread saw goes into its log; the outcome is
/// the logs, the final values and the finding, if any.
struct program {
  enum class opk { store, load, fetch_add, locked_inc, try_inc, plain_read, plain_write, signal, wait_flag, child, count };
  struct instr {
    opk k;
    int obj;
  };
  std::vector<std::vector<instr>> threads;

  static program random(std::uint64_t seed) {
    splitmix64 g{seed};
    program p;
    const std::uint64_t n = 2 + g.below(g.below(3) == 0 ? 3 : 2);  // 2-3, sometimes 4
    bool waiter = false;
    for (std::uint64_t t = 0; t < n; ++t) {
      std::vector<instr> body;
      const std::uint64_t ops = 1 + g.below(n >= 4 ? 2 : 3);
      for (std::uint64_t i = 0; i < ops; ++i) {
        auto k = static_cast<opk>(g.below(static_cast<std::uint64_t>(opk::count)));
        if (k == opk::wait_flag) {
          if (waiter) k = opk::signal;  // one waiter per program
          waiter = true;
        }
        body.push_back({k, static_cast<int>(g.below(2))});
      }
      p.threads.push_back(std::move(body));
    }
    return p;
  }

  struct world {
    lab::mutex m[2];
    lab::atomic<int> a[2] = {lab::atomic<int>{0}, lab::atomic<int>{0}};
    lab::shared<int> v[2] = {lab::shared<int>{0}, lab::shared<int>{0}};
    lab::condition_variable cv;
    lab::shared<int> flag{0};
  };

  static void run_instr(world& w, const instr& in, std::vector<int>& log) {
    switch (in.k) {
      case opk::store: w.a[in.obj].store(7); break;
      case opk::load: log.push_back(w.a[in.obj].load()); break;
      case opk::fetch_add: log.push_back(w.a[in.obj].fetch_add(1)); break;
      case opk::locked_inc: {
        lab::lock_guard g(w.m[in.obj]);
        log.push_back(w.v[in.obj].load());
        w.v[in.obj] = w.v[in.obj] + 1;
        break;
      }
      case opk::try_inc:
        if (w.m[in.obj].try_lock()) {
          w.v[in.obj] = w.v[in.obj] + 10;
          w.m[in.obj].unlock();
          log.push_back(1);
        } else {
          log.push_back(0);
        }
        break;
      case opk::plain_read: log.push_back(w.v[in.obj].load()); break;
      case opk::plain_write: w.v[in.obj] = 100; break;
      case opk::signal: {
        lab::lock_guard g(w.m[0]);
        w.flag = 1;
        w.cv.notify_one();
        break;
      }
      case opk::wait_flag: {
        lab::unique_lock lk(w.m[0]);
        w.cv.wait(lk, [&] { return w.flag.load() == 1; });
        log.push_back(2);
        break;
      }
      case opk::child: {
        lab::thread c([&] { w.a[in.obj].fetch_add(5); });
        c.join();
        log.push_back(w.a[in.obj].load());
        break;
      }
      case opk::count: break;
    }
  }

  /// One execution; `outcome` gets what it ended with.
  void run(std::string& outcome) const {
    world w;
    std::vector<std::vector<int>> logs(threads.size());
    {
      std::vector<lab::thread> ts;
      for (std::size_t t = 0; t < threads.size(); ++t)
        ts.emplace_back([&, t] {
          for (const instr& in : threads[t]) run_instr(w, in, logs[t]);
        });
      for (auto& t : ts) t.join();
    }
    outcome = fmt::format("{} a={},{} v={},{}", fmt::join(logs, "|"), w.a[0].load(), w.a[1].load(), w.v[0].load(),
                          w.v[1].load());
  }
};

struct outcomes {
  std::set<std::string> seen;
  std::uint64_t executions = 0;
  bool exhausted = false;
};

outcomes outcomes_under(strategy& s, const program& p, std::uint64_t limit, std::set<std::string>* classes = nullptr,
                        bool* duplicate = nullptr) {
  rt::execution ex;
  outcomes r;
  std::string outcome;
  std::function<void()> body = [&] {
    outcome.clear();
    p.run(outcome);
  };
  auto call = [](void* f) { (*static_cast<std::function<void()>*>(f))(); };
  auto* d = dynamic_cast<dpor_strategy*>(&s);
  for (std::uint64_t i = 0; i < limit && s.begin_execution(i); ++i) {
    std::uint64_t before = s.classes();
    ex.run(call, &body, s, {.max_steps = 5000});
    ++r.executions;
    if (!s.owns_last()) continue;  // another slice's: walked past, not explored
    const auto& o = ex.outcome();
    r.seen.insert(o.definite ? std::string(to_string(o.definite->kind)) : outcome);
    if (d && classes && s.classes() != before) {
      // A new class: its canonical form must be new too.
      std::string canon = canonical_class(d->last_trace());
      if (!classes->insert(canon).second && duplicate) *duplicate = true;
    }
  }
  r.exhausted = s.exhausted();
  return r;
}

TEST(Dpor, OutcomesEqualEverySchedulesOnRandomPrograms) {
  int compared = 0, too_big = 0;
  std::uint64_t dpor_runs = 0, dfs_runs = 0;
  for (std::uint64_t seed = 1; compared < oracle_programs && seed < 2000; ++seed) {
    program p = program::random(seed);
    for (bool spurious : {false, true}) {
      if (spurious && seed % 4 != 0) continue;  // spurious wake-ups on a quarter of them
      dfs_strategy brute(brute_limit, spurious);
      outcomes all = outcomes_under(brute, p, brute_limit);
      if (!all.exhausted) {
        ++too_big;
        continue;
      }
      dpor_strategy dpor(20000, spurious);
      std::set<std::string> classes;
      bool duplicate = false;
      outcomes reduced = outcomes_under(dpor, p, 20000, &classes, &duplicate);
      ASSERT_TRUE(reduced.exhausted) << "seed " << seed;
      EXPECT_EQ(reduced.seen, all.seen) << "seed " << seed << (spurious ? " with spurious wake-ups" : "");
      EXPECT_FALSE(duplicate) << "seed " << seed << ": two executions of one class";
      EXPECT_LE(reduced.executions, all.executions) << "seed " << seed;
      dpor_runs += reduced.executions;
      dfs_runs += all.executions;
      ++compared;
    }
  }
  EXPECT_GE(compared, oracle_programs - 20);
  RecordProperty("compared", compared);
  fmt::print("oracle: {} programs compared ({} too big for the brute force), {} dpor executions vs {} unreduced\n",
             compared, too_big, dpor_runs, dfs_runs);
}

// Split between slices (--shard I/N), the union of what the slices explore has every outcome of
// the whole space, and every slice ends.
TEST(Dpor, SlicesTogetherReachEveryOutcome) {
  int compared = 0;
  std::uint64_t whole_runs = 0, sliced_runs = 0;
  for (std::uint64_t seed = 1; compared < oracle_programs / 2 && seed < 3000; ++seed) {
    program p = program::random(seed);
    const bool spurious = seed % 4 == 0;
    dfs_strategy brute(brute_limit, spurious);
    outcomes all = outcomes_under(brute, p, brute_limit);
    if (!all.exhausted) continue;
    dpor_strategy whole(20000, spurious);
    whole_runs += outcomes_under(whole, p, 20000).executions;
    for (std::uint64_t n : {2u, 3u, 5u}) {
      std::set<std::string> seen;
      for (std::uint64_t i = 0; i < n; ++i) {
        dpor_strategy slice(20000, spurious, {i, n});
        outcomes part = outcomes_under(slice, p, 20000);
        ASSERT_TRUE(part.exhausted) << "seed " << seed << " slice " << i + 1 << "/" << n;
        seen.insert(part.seen.begin(), part.seen.end());
        sliced_runs += part.executions;
      }
      EXPECT_EQ(seen, all.seen) << "seed " << seed << ", " << n << " slices";
    }
    ++compared;
  }
  EXPECT_GE(compared, oracle_programs / 2 - 10);
  fmt::print("slices: {} programs, {} executions whole vs {} over 2, 3 and 5 slices (3 explorations)\n", compared,
             whole_runs, sliced_runs);
}

TEST(Dpor, ABudgetCutShortEstimatesTheWholeSearch) {
  // Five critical sections under one lock: 5! = 120 classes, one execution each.
  auto body = [] {
    lab::mutex m;
    lab::shared<int> x{0};
    std::vector<lab::thread> ts;
    for (int i = 0; i < 5; ++i)
      ts.emplace_back([&] {
        lab::lock_guard g(m);
        x = x + 1;
      });
    for (auto& t : ts) t.join();
  };
  // Early on the estimate is low (the first subtrees are the deepest explored): after 10 of the
  // 120 executions it says 28; from a third of the way on it is within a factor of 3.
  for (std::uint64_t budget : {10u, 40u, 80u}) {
    dpor_strategy s(budget, false);
    run_all(s, body, budget);
    EXPECT_FALSE(s.exhausted());
    const std::uint64_t estimate = s.estimated_total();
    EXPECT_GT(estimate, budget) << "more is left";
    if (budget < 40) continue;
    EXPECT_GE(estimate, 40u) << "within a factor of 3 of 120 after " << budget;
    EXPECT_LE(estimate, 360u) << "within a factor of 3 of 120 after " << budget;
  }
  dpor_strategy all(1000, false);
  run_all(all, body, 1000);
  EXPECT_EQ(all.estimated_total(), 120u) << "once exhausted, the estimate is the count";
}

}  // namespace
}  // namespace lab
