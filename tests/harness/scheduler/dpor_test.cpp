#include "harness/scheduler/dpor.h"
#include "harness/scheduler/random.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <tuple>
#include <set>
#include <string>
#include <vector>

#include "harness/lab.h"
#include "harness/runtime/execution.h"
#include "tests/support/random_program.h"
#include "tests/support/separating_programs.h"

#ifndef CONLAB_SANITIZED_BUILD
#define CONLAB_SANITIZED_BUILD 0
#endif

namespace lab {
namespace dpor_test {

// Programs the oracle compares: 2,000 here; the sanitizer builds check the strategy's own code
// under the sanitizer with 60 (the algorithm is the same).
constexpr int oracle_programs = CONLAB_SANITIZED_BUILD ? 60 : 2000;
// The brute force's budget: a program it cannot exhaust within it is too big to compare. Smaller
// under the sanitizers, where a too-big program's 4,000 unreduced executions cost the most.
constexpr std::uint64_t brute_limit = CONLAB_SANITIZED_BUILD ? 1000 : 2000;

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

// ---- The oracle: DPOR's classes and outcomes equal those of every schedule ----
//
// On random programs of the shapes users write (tests/support/random_program.h: nested locks,
// accesses inside and outside critical sections, try_lock, a semaphore, a condition variable,
// a child thread, bounded spin loops that yield), the unreduced tree (dfs, under the same
// spurious rule; both without the yield rule, which prunes by assumption: the spin loops here
// are bounded, so every schedule is finite) is enumerated and each complete execution put in the canonical form of its
// Mazurkiewicz trace. DPOR must explore exactly those classes - the same set, each once - and
// reach the same outcomes. A failing program is shrunk before it is printed, with its seed.

using test::random_program;
using test::trace_recorder;

struct explored_set {
  std::set<std::string> outcomes;
  std::set<std::string> classes;
  std::uint64_t executions = 0;
  std::uint64_t counted = 0;  ///< executions the strategy counted as classes
  bool duplicate = false;     ///< a class counted twice
  bool exhausted = false;
};

/// Runs `p` under `s` to exhaustion (or `limit`); for a strategy that counts classes, only the
/// executions it counted go into `classes` (a sleep-set-blocked one is redundant by design).
explored_set explore_program(strategy& s, const random_program& p, std::uint64_t limit) {
  rt::execution ex;
  ex.set_weak_memory(p.weak);  // RC11: which store a load reads is a choice both explore
  trace_recorder rec(s);
  explored_set r;
  std::string outcome;
  std::function<void()> body = [&] {
    outcome.clear();
    p.run(outcome);
  };
  auto call = [](void* f) { (*static_cast<std::function<void()>*>(f))(); };
  const bool counts = dynamic_cast<dpor_strategy*>(&s) != nullptr;
  for (std::uint64_t i = 0; i < limit && rec.begin_execution(i); ++i) {
    const std::uint64_t before = s.classes();
    ex.run(call, &body, rec, {.max_steps = 5000});
    ++r.executions;
    if (!s.owns_last()) continue;  // another slice's: walked past, not explored
    const auto& o = ex.outcome();
    r.outcomes.insert(o.definite ? std::string(to_string(o.definite->kind)) : outcome);
    if (counts && s.classes() == before) continue;
    ++r.counted;
    if (!r.classes.insert(test::canonical_class(rec.trace())).second && counts) r.duplicate = true;
  }
  r.exhausted = s.exhausted();
  return r;
}

/// What the brute force and DPOR disagree on, or "" when they agree (or the brute force cannot
/// exhaust the program: `too_big`).
std::string disagreement(const random_program& p, bool spurious, bool& too_big, std::uint64_t* runs = nullptr,
                         std::uint64_t limit = brute_limit) {
  dfs_strategy brute(limit, spurious, false);
  explored_set all = explore_program(brute, p, limit);
  too_big = !all.exhausted;
  if (too_big) return "";
  dpor_strategy dpor(50000, spurious, {}, false);
  explored_set reduced = explore_program(dpor, p, 50000);
  if (runs) {
    runs[0] += reduced.executions;
    runs[1] += all.executions;
    runs[2] += all.classes.size();
    runs[3] += dpor.sleep_blocked();
    runs[4] += dpor.wakeup_diverged();
  }
  std::string why;
  if (!reduced.exhausted) why += "dpor did not finish; ";
  if (reduced.outcomes != all.outcomes)
    why += fmt::format("outcomes differ: dpor {{{}}} vs every schedule {{{}}}; ", fmt::join(reduced.outcomes, " / "),
                       fmt::join(all.outcomes, " / "));
  if (reduced.classes != all.classes || reduced.counted != all.classes.size())
    why += fmt::format("classes differ: dpor counted {} ({} distinct) vs {} in the unreduced tree; ", reduced.counted,
                       reduced.classes.size(), all.classes.size());
  if (reduced.duplicate) why += "dpor explored a class twice; ";
  // Optimal: one execution per class, none sleep-set blocked, no wakeup branch that could not be
  // followed (harness/scheduler/dpor.h).
  if (reduced.executions != reduced.counted || dpor.sleep_blocked() != 0 || dpor.wakeup_diverged() != 0)
    why += fmt::format("not optimal: {} executions for {} classes ({} sleep-set blocked, {} wakeup branches "
                       "diverged); ",
                       reduced.executions, reduced.counted, dpor.sleep_blocked(), dpor.wakeup_diverged());
  return why;
}

/// The smallest program, by greedy shrinking, on which `fails` still holds.
random_program shrink(random_program p, const std::function<bool(const random_program&)>& fails) {
  for (bool smaller = true; smaller;) {
    smaller = false;
    for (const random_program& q : p.shrinks())
      if (fails(q)) {
        p = q;
        smaller = true;
        break;
      }
  }
  return p;
}

/// The oracle over `programs` random programs of seeds first, first + step, ...: every one the
/// brute force can exhaust compared with dpor, a failure reported with its seed and shrunk.
/// `weak`: relaxed/acq_rel atomics under RC11; otherwise spurious wake-ups on a quarter of them.
void run_oracle(std::uint64_t first, std::uint64_t step, int programs, bool weak, const std::string& label) {
  int compared = 0, too_big = 0;
  std::uint64_t runs[5] = {0, 0, 0, 0, 0};  // dpor executions, unreduced executions, classes, blocked, diverged
  for (std::uint64_t i = 0; compared < programs && i < 20u * static_cast<std::uint64_t>(programs); ++i) {
    const std::uint64_t seed = first + i * step;
    random_program p = random_program::random(seed);
    p.weak = weak;
    const bool spurious = !weak && seed % 4 == 0;
    bool big = false;
    std::string why = disagreement(p, spurious, big, runs);
    if (big) {
      ++too_big;
      continue;
    }
    ++compared;
    if (why.empty()) continue;
    random_program small = shrink(p, [&](const random_program& q) {
      bool b = false;
      return !disagreement(q, spurious, b).empty();
    });
    bool b = false;
    ADD_FAILURE() << "seed " << seed << (weak ? " (rc11)" : spurious ? " (spurious wake-ups)" : "") << ": " << why
                  << "\nshrunk to:\n" << small.describe() << disagreement(small, spurious, b);
  }
  EXPECT_GE(compared, programs);
  ::testing::Test::RecordProperty("compared", compared);
  fmt::print("{}: {} programs compared ({} too big for the brute force): {} classes; dpor {} executions ({} "
             "sleep-set blocked, {} wakeup branches diverged) vs {} unreduced\n",
             label, compared, too_big, runs[2], runs[0], runs[3], runs[4], runs[1]);
}

// Four parts of the seeds, so that ctest runs them side by side.
class DporOracle : public ::testing::TestWithParam<int> {};

TEST_P(DporOracle, ClassesAndOutcomesEqualTheUnreducedTreeOnRandomPrograms) {
  constexpr int parts = 4;
  run_oracle(1 + static_cast<std::uint64_t>(GetParam()), parts, oracle_programs / parts, false,
             fmt::format("oracle (part {} of {})", GetParam() + 1, parts));
}

INSTANTIATE_TEST_SUITE_P(Seeds, DporOracle, ::testing::Range(0, 4));

// The same under the weak memory model (RC11): relaxed loads and stores, acq_rel read-modify-
// writes. Reads-from and modification-order choices are explored in full by both, so the
// classes (interleaving and the values chosen) and the outcomes must agree. They do not yet:
// on 4 of 500 programs dpor misses classes, on 2 of them an outcome - shrunk, `T1: load(a);
// T2: store(a); store(a)` (3 classes of 6) and `T1: load(a); T2: cas(a); store(a)` (the load
// never reads the second store). Disabled until dpor's reads-from points are fixed (issue 28,
// docs/verification.md says so); run it with --gtest_also_run_disabled_tests.
TEST(Dpor, DISABLED_UnderRc11ClassesAndOutcomesEqualTheUnreducedTree) {
  run_oracle(1, 1, oracle_programs / 4, true, "oracle under rc11");
}

// Split between slices (--shard I/N), the union of what the slices explore has every class and
// every outcome of the whole space, and every slice ends.
TEST(Dpor, SlicesTogetherReachEveryClass) {
  int compared = 0;
  std::uint64_t whole_runs = 0, sliced_runs = 0;
  for (std::uint64_t seed = 1; compared < oracle_programs / 4 && seed < 20 * oracle_programs; ++seed) {
    random_program p = random_program::random(seed);
    const bool spurious = seed % 4 == 0;
    dfs_strategy brute(brute_limit, spurious, false);
    explored_set all = explore_program(brute, p, brute_limit);
    if (!all.exhausted) continue;
    dpor_strategy whole(50000, spurious, {}, false);
    whole_runs += explore_program(whole, p, 50000).executions;
    for (std::uint64_t n : {2u, 3u, 5u}) {
      std::set<std::string> outcomes, classes;
      for (std::uint64_t i = 0; i < n; ++i) {
        dpor_strategy slice(50000, spurious, {i, n}, false);
        explored_set part = explore_program(slice, p, 50000);
        ASSERT_TRUE(part.exhausted) << "seed " << seed << " slice " << i + 1 << "/" << n;
        outcomes.insert(part.outcomes.begin(), part.outcomes.end());
        classes.insert(part.classes.begin(), part.classes.end());
        sliced_runs += part.executions;
      }
      EXPECT_TRUE(outcomes == all.outcomes) << "seed " << seed << ", " << n << " slices: the outcomes differ\n"
                                            << p.describe();
      EXPECT_TRUE(classes == all.classes) << "seed " << seed << ", " << n << " slices: " << classes.size()
                                          << " classes vs " << all.classes.size() << "\n" << p.describe();
    }
    ++compared;
  }
  EXPECT_GE(compared, oracle_programs / 4);
  fmt::print("slices: {} programs, {} executions whole vs {} over 2, 3 and 5 slices (3 explorations)\n", compared,
             whole_runs, sliced_runs);
}

// ---- Shapes the oracle caught: regressions by name ----

/// The classes and final states of `body` under dpor and under the unreduced tree.
struct versus {
  explored_set reduced, all;
};
versus compare_on(const std::function<void(std::string&)>& body, std::uint64_t brute = 200000) {
  // As explore_program, for a hand-written body.
  auto run = [&](strategy& s, std::uint64_t limit) {
    rt::execution ex;
    trace_recorder rec(s);
    explored_set r;
    std::string outcome;
    std::function<void()> f = [&] {
      outcome.clear();
      body(outcome);
    };
    auto call = [](void* fn) { (*static_cast<std::function<void()>*>(fn))(); };
    const bool counts = dynamic_cast<dpor_strategy*>(&s) != nullptr;
    for (std::uint64_t i = 0; i < limit && rec.begin_execution(i); ++i) {
      const std::uint64_t before = s.classes();
      ex.run(call, &f, rec, {.max_steps = 5000});
      ++r.executions;
      const auto& o = ex.outcome();
      r.outcomes.insert(o.definite ? std::string(to_string(o.definite->kind)) : outcome);
      if (counts && s.classes() == before) continue;
      ++r.counted;
      if (!r.classes.insert(test::canonical_class(rec.trace())).second && counts) r.duplicate = true;
    }
    r.exhausted = s.exhausted();
    return r;
  };
  versus v;
  dpor_strategy dpor(brute, false);
  v.reduced = run(dpor, brute);
  dfs_strategy dfs(brute, false);
  v.all = run(dfs, brute);
  return v;
}

/// For a body too big for the unreduced tree: what `samples` random executions reach, every
/// class and outcome of which dpor must have explored.
versus sample_against(const std::function<void(std::string&)>& body, std::uint64_t samples) {
  versus v = compare_on(body, 1);  // dpor below; the brute force is replaced by the sample
  dpor_strategy dpor(1000000, false);
  random_strategy rnd(7, samples, 0);
  for (auto [s, into] : {std::pair<strategy*, explored_set*>{&dpor, &v.reduced}, {&rnd, &v.all}}) {
    rt::execution ex;
    trace_recorder rec(*s);
    explored_set r;
    std::string outcome;
    std::function<void()> f = [&] {
      outcome.clear();
      body(outcome);
    };
    auto call = [](void* fn) { (*static_cast<std::function<void()>*>(fn))(); };
    const bool counts = s == &dpor;
    for (std::uint64_t i = 0; rec.begin_execution(i); ++i) {
      const std::uint64_t before = s->classes();
      ex.run(call, &f, rec, {.max_steps = 5000});
      ++r.executions;
      r.outcomes.insert(outcome);
      if (counts && s->classes() == before) continue;
      ++r.counted;
      if (!r.classes.insert(test::canonical_class(rec.trace())).second && counts) r.duplicate = true;
    }
    r.exhausted = s->exhausted() || !counts;
    *into = std::move(r);
  }
  return v;
}

bool includes(const std::set<std::string>& big, const std::set<std::string>& small) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

/// Threads in a ring of mutexes: thread i takes the lower-numbered, then the higher-numbered of
/// locks i and i+1 (mod n) - ordered forks, no deadlock - and, holding both, folds its number
/// into the cells of both locks (`cells`) or into one shared variable.
std::function<void(std::string&)> ring(int n, bool cells) {
  return [n, cells](std::string& out) {
    std::vector<std::unique_ptr<lab::mutex>> m;
    std::vector<std::unique_ptr<lab::shared<int>>> c;
    for (int i = 0; i < n; ++i) {
      m.push_back(std::make_unique<lab::mutex>());
      c.push_back(std::make_unique<lab::shared<int>>(0));
    }
    std::vector<lab::thread> ts;
    for (int i = 0; i < n; ++i)
      ts.emplace_back([&, i] {
        const int lo = std::min(i, (i + 1) % n), hi = std::max(i, (i + 1) % n);
        lab::lock_guard g1(*m[lo]);
        lab::lock_guard g2(*m[hi]);
        for (int cell : cells ? std::vector<int>{lo, hi} : std::vector<int>{0}) *c[cell] = c[cell]->load() * 10 + i + 1;
      });
    for (auto& t : ts) t.join();
    for (auto& x : c) out += fmt::format("{} ", x->load());
  };
}

TEST(Dpor, NestedLocksWithASharedWriteInsideExploreEveryOrder) {
  // Three threads, three locks, each critical section under two of them writing one variable:
  // the six orders of the sections are six classes (dpor found five before accesses were
  // ordered one by one: the write after an acquisition hid the acquisitions' race).
  versus v = compare_on(ring(3, false));
  ASSERT_TRUE(v.reduced.exhausted && v.all.exhausted);
  EXPECT_EQ(v.reduced.outcomes.size(), 6u);
  EXPECT_EQ(v.reduced.outcomes, v.all.outcomes);
  EXPECT_EQ(v.reduced.classes, v.all.classes);
  EXPECT_EQ(v.reduced.counted, v.all.classes.size());
  EXPECT_EQ(v.reduced.executions, 6u) << "one execution per class";
}

TEST(Dpor, OrderedPhilosophersWithSharedWritesExploreEveryClass) {
  // Five philosophers are past the unreduced tree: 20,000 random executions stand in for it,
  // and every class they reach must be one dpor explored (dpor left 7 of 30 out before).
  for (int n : {4, 5}) {
    versus v = sample_against(ring(n, false), CONLAB_SANITIZED_BUILD ? 2000 : 20000);
    ASSERT_TRUE(v.reduced.exhausted) << n;
    EXPECT_TRUE(includes(v.reduced.outcomes, v.all.outcomes)) << n << " philosophers";
    EXPECT_TRUE(includes(v.reduced.classes, v.all.classes)) << n << " philosophers";
    EXPECT_FALSE(v.reduced.duplicate) << n;
    EXPECT_EQ(v.reduced.executions, v.reduced.classes.size()) << n << " philosophers: one execution per class";
    fmt::print("{} philosophers: dpor {} classes in {} executions; a random sample reached {} of them\n", n,
               v.reduced.classes.size(), v.reduced.executions, v.all.classes.size());
  }
}

TEST(Dpor, ARingOfFourReachesEveryAcyclicOrientation) {
  // Each thread folds its number into the cells of both its locks: the final cells tell the
  // order of every two neighbours - an acyclic orientation of the 4-cycle, of which there are
  // 2^4 - 2 = 14 (dpor produced 11 before).
  versus v = sample_against(ring(4, true), CONLAB_SANITIZED_BUILD ? 2000 : 20000);
  ASSERT_TRUE(v.reduced.exhausted);
  EXPECT_EQ(v.reduced.outcomes.size(), 14u);
  EXPECT_TRUE(includes(v.reduced.outcomes, v.all.outcomes));
  EXPECT_TRUE(includes(v.reduced.classes, v.all.classes));
}

TEST(Dpor, ASemaphoreBlockWithTwoAccessesIsOrderedBothWays) {
  // The shrunk form of a program the oracle caught (seed 1024 of the old search).
  auto body = [](std::string& out) {
    lab::binary_semaphore sem{1};
    lab::atomic<int> a{0};
    lab::shared<int> v{0};
    lab::thread t1([&] {
      sem.acquire();
      a.store(7);
      v = v.load() + 10;
      sem.release();
    });
    lab::thread t2([&] {
      sem.acquire();
      v = v.load() + 10;
      sem.release();
    });
    t1.join();
    t2.join();
    out = fmt::format("{} {}", a.load(), v.load());
  };
  versus v = compare_on(body);
  ASSERT_TRUE(v.reduced.exhausted && v.all.exhausted);
  EXPECT_EQ(v.all.classes.size(), 2u);
  EXPECT_EQ(v.reduced.classes, v.all.classes);
}

TEST(Dpor, ADeadlockedExecutionStillReversesTheBlockedAcquisition) {
  // T1 takes c then a, T2 a then c: after T1-first and the deadlock, T2-first is a class of its
  // own, and only the deadlock's blocked attempt on c shows the race that leads there.
  using k = random_program::opk;
  random_program p;
  p.threads = {{{k::lock, 2, {{k::lock, 0, {{k::load, 1, {}}}}}}}, {{k::lock, 0, {{k::lock, 2, {}}}}}};
  bool big = false;
  EXPECT_EQ(disagreement(p, false, big, nullptr, 20000), "");
  EXPECT_FALSE(big);
  EXPECT_EQ(disagreement(p, true, big, nullptr, 20000), "") << "with spurious wake-ups";
  EXPECT_FALSE(big);
}

TEST(Dpor, ANotifyAndTheWakeUpItCausesDoNotRace) {
  // A waiter and two notifiers: the woken thread's return is ordered after the notify that woke
  // it and races with no other notify, so the classes are the unreduced tree's, one each.
  using k = random_program::opk;
  random_program p;
  p.threads = {{{k::wait_flag, 1, {}}}, {{k::signal, 0, {}}}, {{k::signal, 1, {}}}};
  bool big = false;
  EXPECT_EQ(disagreement(p, false, big, nullptr, 20000), "");
  EXPECT_FALSE(big);
}

// Shapes that made the optimal mode run a redundant execution or miss a class while it was
// built (each was a shrunk oracle failure); disagreement() checks classes, outcomes and one
// execution per class.
struct shape {
  const char* why;
  std::vector<std::vector<random_program::instr>> threads;
};

TEST(Dpor, OptimalOnTheShapesThatBrokeIt) {
  using k = random_program::opk;
  const shape shapes[] = {
      // A transition runs whole: T2's load and write are one, so a thread asleep before it that
      // conflicts with the load does not cover T3's write coming first (4 classes, 3 explored).
      {"a sleeper independent of v but not of the first transition", {{{k::cas, 0, {}}}, {{k::load, 0, {}}, {k::plain_write, 1, {}}}, {{k::plain_write, 1, {}}}}},
      // Threads are numbered in spawn order: a sequence that spawns in another order renames
      // the children it runs.
      {"spawns reordered", {{{k::child, 0, {}}, {k::child, 1, {}}}, {{k::fetch_add, 1, {}}, {k::child, 1, {}}}}},
      // A wait joins the queue with its unlock, atomically: a notify under the mutex does not
      // race with it.
      {"a wait and a notify under one mutex", {{{k::wait_flag, 1, {}}}, {{k::signal, 0, {}}}}},
      // A try_lock reversed before a release it followed fails; nothing after it is known.
      {"a try_lock that fails when reversed", {{{k::plain_read, 1, {}}}, {{k::try_lock, 0, {{k::plain_write, 1, {}}}}}, {{k::wait_flag, 1, {}}}}},
  };
  for (const shape& sh : shapes) {
    random_program p;
    p.threads = sh.threads;
    for (bool spurious : {false, true}) {
      // The sanitizers check the code, not every shape: the oracle's budget there (under TSan
      // every execution's fibers cost memory; 20,000 executions of four threads ran it out).
      if (CONLAB_SANITIZED_BUILD && spurious) continue;
      bool big = false;
      const std::string why = disagreement(p, spurious, big, nullptr, CONLAB_SANITIZED_BUILD ? brute_limit : 20000);
      if (CONLAB_SANITIZED_BUILD && big) continue;
      EXPECT_EQ(why, "") << sh.why << (spurious ? " (spurious)" : "") << "\n" << p.describe();
      EXPECT_FALSE(big) << sh.why;
    }
  }
}

TEST(Dpor, LastzeroRunsOneExecutionPerClass) {
  // 64 and 3,328 classes (the counts Nidhugg and GenMC report); the source sets ran 97 and
  // 20,195 executions for them.
  for (auto [n, classes, source] : {std::tuple{5, 64u, 97u}, std::tuple{10, 3328u, 20195u}}) {
    if (CONLAB_SANITIZED_BUILD && n > 5) continue;
    dpor_strategy optimal(100000, false);
    explored o = run_all(optimal, [n] { test::lastzero(n); });
    EXPECT_TRUE(o.exhausted);
    EXPECT_EQ(o.classes, classes) << "lastzero(" << n << ")";
    EXPECT_EQ(o.executions, classes) << "lastzero(" << n << "): one execution per class";
    EXPECT_EQ(optimal.sleep_blocked(), 0u);
    dpor_strategy baseline(100000, false, {}, true, dpor_mode::source);
    explored b = run_all(baseline, [n] { test::lastzero(n); });
    EXPECT_EQ(b.classes, classes) << "the source sets explore every class too";
    EXPECT_EQ(b.executions, source) << "and run " << baseline.sleep_blocked() << " sleep-set blocked executions";
  }
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
    // With its uncertainty: the sizes of the subtrees done at each point vary, and the 95%
    // half-width says how much; it does not hold the races not met yet, so early on the
    // interval runs low too (28 +- 29 after 10; 64 +- 40 after 40; 116 +- 46 after 80).
    const strategy::knuth_estimate k = s.estimated_by_knuth();
    EXPECT_EQ(k.paths, budget);
    EXPECT_NEAR(k.mean, static_cast<double>(estimate), 1.0) << "the same estimate";
    EXPECT_GT(k.half_width, 0.0) << "after " << budget;
    if (budget == 80) {
      EXPECT_LE(k.mean - k.half_width, 120.0) << k.mean << " +- " << k.half_width;
      EXPECT_GE(k.mean + k.half_width, 120.0) << k.mean << " +- " << k.half_width;
    }
    if (budget < 40) continue;
    EXPECT_GE(estimate, 40u) << "within a factor of 3 of 120 after " << budget;
    EXPECT_LE(estimate, 360u) << "within a factor of 3 of 120 after " << budget;
  }
  dpor_strategy all(1000, false);
  run_all(all, body, 1000);
  EXPECT_EQ(all.estimated_total(), 120u) << "once exhausted, the estimate is the count";
  EXPECT_DOUBLE_EQ(all.estimated_by_knuth().mean, 120.0);
  EXPECT_DOUBLE_EQ(all.estimated_by_knuth().half_width, 0.0) << "no uncertainty left";
}

TEST(Dpor, KnuthsEstimatorOnAnUnevenTreeCarriesItsUncertainty) {
  // lastzero(8), 704 classes, uneven: the reader stops at the first zero it meets. Cut at a
  // quarter the estimate is 320 +- 210 (low: races still to meet add branches); at half,
  // 800 +- 694, which holds the count.
  dpor_strategy full(100000, false);
  explored all = run_all(full, [] { test::lastzero(8); });
  ASSERT_TRUE(all.exhausted);
  ASSERT_EQ(all.classes, 704u);
  for (std::uint64_t budget : {all.classes / 4, all.classes / 2}) {
    dpor_strategy s(budget, false);
    run_all(s, [] { test::lastzero(8); }, budget);
    const strategy::knuth_estimate k = s.estimated_by_knuth();
    EXPECT_GT(k.mean, static_cast<double>(budget)) << "more is left";
    EXPECT_GT(k.half_width, 0.0) << "uneven subtrees disagree";
    if (budget < all.classes / 2) continue;
    EXPECT_LE(k.mean - k.half_width, 704.0) << k.mean << " +- " << k.half_width;
    EXPECT_GE(k.mean + k.half_width, 704.0) << k.mean << " +- " << k.half_width;
  }
}

}  // namespace dpor_test
}  // namespace lab


