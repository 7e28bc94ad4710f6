#include "harness/detect/race.h"

#include <gtest/gtest.h>

#include <bitset>
#include <random>
#include <tuple>

#include "harness/core/options.h"
#include "harness/detect/lock_table.h"

#include "tests/support/collect.h"

namespace lab {
namespace race_test {

using test::collect;
using test::trace_builder;

constexpr object_id m0 = 0, m1 = 1, x = 2, y = 3, a = 4;

struct RaceDetector : ::testing::Test {
  collect out;
  race_detector det{out};
  trace_builder ev;
  void SetUp() override {
    det.begin_execution(true);
    for (object_id o = 0; o <= a; ++o) det.on_object(o, object_traits{o == a ? object_kind::atomic : object_kind::shared});
  }
  void feed(const event& e) { det.on_event(e); }
};

TEST_F(RaceDetector, UnorderedWritesRace) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::thread_spawn, no_object, 2));
  feed(ev(1, op::write, x));
  EXPECT_TRUE(out.found.empty());
  feed(ev(2, op::write, x));
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::data_race);
  ASSERT_EQ(f.accesses.size(), 2u);
  EXPECT_EQ(f.accesses[0].thread, 2u);
  EXPECT_TRUE(f.accesses[0].write);
  EXPECT_EQ(f.accesses[0].step, 4u);
  EXPECT_EQ(f.accesses[1].thread, 1u);
  EXPECT_EQ(f.accesses[1].step, 3u);
}

TEST_F(RaceDetector, MutexOrdersAccesses) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::thread_spawn, no_object, 2));
  feed(ev(1, op::lock_acquired, m0));
  feed(ev(1, op::read, x));
  feed(ev(1, op::write, x));
  feed(ev(1, op::unlock, m0));
  feed(ev(2, op::lock_acquired, m0));
  feed(ev(2, op::read, x));
  feed(ev(2, op::write, x));
  feed(ev(2, op::unlock, m0));
  EXPECT_TRUE(out.found.empty());
}

TEST_F(RaceDetector, DifferentMutexesDoNotOrder) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::thread_spawn, no_object, 2));
  feed(ev(1, op::lock_acquired, m0));
  feed(ev(1, op::write, x));
  feed(ev(1, op::unlock, m0));
  feed(ev(2, op::lock_acquired, m1));
  feed(ev(2, op::read, x));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].accesses[0].locks_held, std::vector<object_id>{m1});
  EXPECT_EQ(out.found[0].accesses[1].locks_held, std::vector<object_id>{m0}) << "held at the time of the write";
}

TEST_F(RaceDetector, ReadsDoNotRaceWithReads) {
  feed(ev(0, op::write, x));
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::thread_spawn, no_object, 2));
  feed(ev(1, op::read, x));
  feed(ev(2, op::read, x));
  EXPECT_TRUE(out.found.empty()) << "the write before the spawns happens-before both reads";
}

TEST_F(RaceDetector, JoinOrdersChildBeforeParent) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(1, op::write, x));
  feed(ev(0, op::thread_join, no_object, 1));
  feed(ev(0, op::read, x));
  EXPECT_TRUE(out.found.empty());
}

TEST_F(RaceDetector, AtomicFlagPublishesData) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::thread_spawn, no_object, 2));
  feed(ev(1, op::write, y));
  feed(ev(1, op::atomic_store, a));
  feed(ev(2, op::atomic_load, a));
  feed(ev(2, op::read, y));
  EXPECT_TRUE(out.found.empty());
}

TEST_F(RaceDetector, ReadThenUnorderedWriteRaces) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::read, x));
  feed(ev(1, op::write, x));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_FALSE(out.found[0].accesses[1].write);
  EXPECT_EQ(out.found[0].accesses[1].thread, 0u);
}

TEST_F(RaceDetector, ReportsOnlyTheFirstRaceAndForgetsOnNewExecution) {
  feed(ev(0, op::thread_spawn, no_object, 1));
  feed(ev(0, op::write, x));
  feed(ev(1, op::write, x));
  feed(ev(1, op::write, y));
  feed(ev(0, op::write, y));
  EXPECT_EQ(out.found.size(), 1u);
  det.begin_execution(true);
  feed(ev(0, op::write, x));
  feed(ev(0, op::read, x));
  EXPECT_EQ(out.found.size(), 1u);
}

// ---- Brute-force oracle on random well-formed traces ----

struct generated {
  std::vector<event> events;
};

/// `orders`: atomics get random valid orders (loads relaxed/acquire/seq_cst, stores
/// relaxed/release/seq_cst, RMWs any); otherwise all are seq_cst.
generated random_trace(std::mt19937& rng, bool orders = false) {
  generated g;
  trace_builder ev;
  int nthreads = 2 + static_cast<int>(rng() % 3);
  std::vector<int> budget(nthreads);
  for (auto& b : budget) b = 1 + static_cast<int>(rng() % 6);
  std::vector<bool> started(nthreads, false), finished(nthreads, false);
  started[0] = true;
  std::array<thread_id, 2> owner{no_thread, no_thread};
  int spawned = 1, joined = 1;
  while (joined < nthreads || budget[0] > 0) {
    std::vector<int> ready;
    for (int t = 0; t < nthreads; ++t)
      if (started[t] && !finished[t]) ready.push_back(t);
    int t = ready[rng() % ready.size()];
    auto tid = static_cast<thread_id>(t);
    if (t == 0 && spawned < nthreads && rng() % 2) {
      g.events.push_back(ev(0, op::thread_spawn, no_object, static_cast<std::uint64_t>(spawned)));
      started[spawned++] = true;
      continue;
    }
    if (budget[t] == 0) {
      bool holds = false;
      for (object_id m = 0; m < 2; ++m)
        if (owner[m] == tid) {
          g.events.push_back(ev(tid, op::unlock, m));
          owner[m] = no_thread;
          holds = true;
          break;
        }
      if (holds) continue;
      if (t != 0) {
        finished[t] = true;
        continue;
      }
      if (spawned < nthreads) continue;
      if (finished[joined]) {
        g.events.push_back(ev(0, op::thread_join, no_object, static_cast<std::uint64_t>(joined)));
        ++joined;
      } else if (ready.size() == 1) {
        break;  // cannot happen: children always finish
      }
      continue;
    }
    --budget[t];
    if (orders && rng() % 4 == 0) {  // a fence of any order
      constexpr atomic_order fence_orders[] = {atomic_order::acquire, atomic_order::release, atomic_order::acq_rel,
                                               atomic_order::seq_cst};
      event f = ev(tid, op::atomic_fence, no_object);
      f.order = fence_orders[rng() % 4];
      g.events.push_back(f);
      continue;
    }
    switch (rng() % 6) {
      case 0: {
        object_id m = rng() % 2;
        if (owner[m] == no_thread) {
          owner[m] = tid;
          g.events.push_back(ev(tid, op::lock_acquired, m));
        }
        break;
      }
      case 1:
        for (object_id m = 0; m < 2; ++m)
          if (owner[m] == tid) {
            owner[m] = no_thread;
            g.events.push_back(ev(tid, op::unlock, m));
            break;
          }
        break;
      case 2: g.events.push_back(ev(tid, op::read, rng() % 2 ? x : y)); break;
      case 3: g.events.push_back(ev(tid, op::write, rng() % 2 ? x : y)); break;
      case 4: g.events.push_back(ev(tid, op::atomic_load, a)); break;
      default: g.events.push_back(ev(tid, rng() % 2 ? op::atomic_store : op::atomic_rmw, a)); break;
    }
    if (orders && !g.events.empty() && g.events.back().object == a && g.events.back().thread == tid) {
      event& e = g.events.back();
      constexpr atomic_order load_orders[] = {atomic_order::relaxed, atomic_order::acquire, atomic_order::seq_cst};
      constexpr atomic_order store_orders[] = {atomic_order::relaxed, atomic_order::release, atomic_order::seq_cst};
      constexpr atomic_order rmw_orders[] = {atomic_order::relaxed, atomic_order::acquire, atomic_order::release,
                                             atomic_order::acq_rel, atomic_order::seq_cst};
      e.order = e.kind == op::atomic_load    ? load_orders[rng() % 3]
                : e.kind == op::atomic_store ? store_orders[rng() % 3]
                                             : rmw_orders[rng() % 5];
    }
  }
  return g;
}

/// Index of the first event that has an earlier conflicting access not ordered before it by
/// happens-before (computed by transitive closure of the direct edges), or -1.
int first_race(const std::vector<event>& es) {
  std::size_t n = es.size();
  std::vector<std::bitset<512>> before(n);  // before[i]: events that happen-before event i
  for (std::size_t i = 0; i < n; ++i) {
    auto add = [&](std::size_t j) {
      before[i] |= before[j];
      before[i].set(j);
    };
    const event& e = es[i];
    bool first_of_thread = true;
    for (std::size_t j = i; j-- > 0;)
      if (es[j].thread == e.thread) {
        add(j);
        first_of_thread = false;
        break;
      }
    if (first_of_thread && e.thread != 0)
      for (std::size_t j = 0; j < i; ++j)
        if (es[j].kind == op::thread_spawn && es[j].arg == e.thread) add(j);
    for (std::size_t j = 0; j < i; ++j) {
      const event& p = es[j];
      if (e.kind == op::thread_join && p.thread == e.arg) add(j);
      if (e.kind == op::lock_acquired && p.kind == op::unlock && p.object == e.object) add(j);
    }
    // Atomics, by RC11's synchronises-with: an acquiring operation (a seq_cst store too, as the
    // detector counts it) synchronises with every releasing write of the release sequence the
    // write it reads from belongs to - back from that write through RMWs (and seq_cst stores,
    // which the detector lets through) to a store that heads or ends the sequence.
    // Fences (RC11: [F_rel]; po; W ... rf; po; [F_acq]): a write in the sequence releases what
    // the last release fence before it in its thread did; an acquire fence acquires what the
    // thread's earlier relaxed reads read from.
    const bool atomic = e.kind == op::atomic_load || e.kind == op::atomic_store || e.kind == op::atomic_rmw;
    auto releasing_fence_before = [&](std::size_t w) -> int {
      for (std::size_t k = w; k-- > 0;)
        if (es[k].thread == es[w].thread && es[k].kind == op::atomic_fence && es[k].order != atomic_order::acquire)
          return static_cast<int>(k);
      return -1;
    };
    // What a read of the atomic at position `at` synchronises with, as edges into `i`.
    auto read_from = [&](std::size_t at) {
      for (std::size_t j = at; j-- > 0;) {
        const event& w = es[j];
        if (w.object != es[at].object || (w.kind != op::atomic_store && w.kind != op::atomic_rmw)) continue;
        const bool releases = w.order == atomic_order::seq_cst || w.order == atomic_order::release ||
                              w.order == atomic_order::acq_rel;
        if (releases) add(j);
        else if (int f = releasing_fence_before(j); f >= 0) add(static_cast<std::size_t>(f));
        const bool continues = w.kind == op::atomic_rmw || w.order == atomic_order::seq_cst;
        if (!continues) break;
      }
    };
    const bool acquires = atomic && (e.order == atomic_order::seq_cst ||
                                     (e.kind != op::atomic_store &&
                                      (e.order == atomic_order::acquire || e.order == atomic_order::acq_rel)));
    if (acquires) read_from(i);
    if (e.kind == op::atomic_fence && e.order != atomic_order::release)
      for (std::size_t r = 0; r < i; ++r) {
        const event& p = es[r];
        const bool relaxed_read = p.thread == e.thread &&
                                  ((p.kind == op::atomic_load && p.order == atomic_order::relaxed) ||
                                   (p.kind == op::atomic_rmw &&
                                    (p.order == atomic_order::relaxed || p.order == atomic_order::release)));
        if (relaxed_read) read_from(r);
      }
    if (e.kind != op::read && e.kind != op::write) continue;
    for (std::size_t j = 0; j < i; ++j) {
      const event& p = es[j];
      if ((p.kind == op::read || p.kind == op::write) && p.object == e.object && p.thread != e.thread &&
          (p.kind == op::write || e.kind == op::write) && !before[i].test(j))
        return static_cast<int>(i);
    }
  }
  return -1;
}

class RaceDetectorOracle : public ::testing::TestWithParam<bool> {};

// false: every atomic seq_cst; true: random memory orders, against RC11's release sequences.
TEST_P(RaceDetectorOracle, FirstRaceMatchesBruteForceHappensBefore) {
  std::mt19937 rng(77);
  int races = 0, clean = 0;
  for (int round = 0; round < 3000; ++round) {
    auto g = random_trace(rng, GetParam());
    ASSERT_LT(g.events.size(), 512u);
    collect out, fast;
    race_detector det(out), fast_det(fast);
    det.begin_execution(true);
    fast_det.begin_execution(false);  // the explorer's fast pass must reach the same verdict
    for (object_id o = 0; o <= a; ++o) {
      det.on_object(o, object_traits{object_kind::shared});
      fast_det.on_object(o, object_traits{object_kind::shared});
    }
    for (const auto& e : g.events) {
      det.on_event(e);
      fast_det.on_event(e);
    }
    ASSERT_EQ(fast.found.size(), out.found.size());
    if (!out.found.empty()) {
      EXPECT_EQ(fast.found[0].step, out.found[0].step);
    }
    int want = first_race(g.events);
    if (want < 0) {
      EXPECT_TRUE(out.found.empty()) << "round " << round << ": false alarm at step " << out.found[0].step;
      ++clean;
    } else {
      ASSERT_EQ(out.found.size(), 1u) << "round " << round << ": missed the race at event " << want;
      EXPECT_EQ(out.found[0].step, g.events[static_cast<std::size_t>(want)].step) << "round " << round;
      ++races;
    }
  }
  // The generator must exercise both outcomes, or the comparison proves little.
  EXPECT_GT(races, 300);
  EXPECT_GT(clean, 300);
}

INSTANTIATE_TEST_SUITE_P(Orders, RaceDetectorOracle, ::testing::Bool(),
                         [](const auto& param_info) { return std::string(param_info.param ? "AnyOrder" : "SeqCst"); });

// Message passing through a flag: the payload is published only by a release store read by an
// acquire load (or a release sequence between them); a relaxed flag publishes nothing.
struct Flag : ::testing::TestWithParam<std::tuple<atomic_order, atomic_order, bool>> {};

TEST_P(Flag, PublishesThePayloadOnlyWhenReleaseMeetsAcquire) {
  auto [store, load, published] = GetParam();
  for (bool sc : {false, true}) {
    collect out;
    options o;
    o.memory_model = sc ? "sc" : "rc11";
    lock_table locks;
    race_detector det(detector_context{out, locks, o});
    trace_builder ev;
    det.begin_execution(true);
    for (object_id obj = 0; obj <= a; ++obj)
      det.on_object(obj, object_traits{obj == a ? object_kind::atomic : object_kind::shared});
    det.on_event(ev(0, op::thread_spawn, no_object, 1));
    det.on_event(ev(0, op::thread_spawn, no_object, 2));
    det.on_event(ev(1, op::write, y));
    event st = ev(1, op::atomic_store, a);
    st.order = store;
    det.on_event(st);
    event ld = ev(2, op::atomic_load, a);
    ld.order = load;
    det.on_event(ld);
    det.on_event(ev(2, op::read, y));
    EXPECT_EQ(out.found.empty(), published || sc) << (sc ? "sc: every order counts as seq_cst" : "rc11");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Orders, Flag,
    ::testing::Values(std::tuple{atomic_order::release, atomic_order::acquire, true},
                      std::tuple{atomic_order::seq_cst, atomic_order::seq_cst, true},
                      std::tuple{atomic_order::release, atomic_order::seq_cst, true},
                      std::tuple{atomic_order::relaxed, atomic_order::acquire, false},
                      std::tuple{atomic_order::release, atomic_order::relaxed, false},
                      std::tuple{atomic_order::relaxed, atomic_order::relaxed, false}));

TEST_F(RaceDetector, AnRmwContinuesTheReleaseSequenceAStoreEndsIt) {
  for (op middle : {op::atomic_rmw, op::atomic_store}) {
    SetUp();
    out.found.clear();
    feed(ev(0, op::thread_spawn, no_object, 1));
    feed(ev(0, op::thread_spawn, no_object, 2));
    feed(ev(0, op::thread_spawn, no_object, 3));
    feed(ev(1, op::write, y));
    event head = ev(1, op::atomic_store, a);
    head.order = atomic_order::release;
    feed(head);
    event mid = ev(3, middle, a);  // a third thread, relaxed
    mid.order = atomic_order::relaxed;
    feed(mid);
    event ld = ev(2, op::atomic_load, a);
    ld.order = atomic_order::acquire;
    feed(ld);
    feed(ev(2, op::read, y));
    EXPECT_EQ(out.found.empty(), middle == op::atomic_rmw) << to_string(middle);
  }
}

// RC11's fences, on the message-passing shape: T1 writes y, then publishes through `a`; T2 reads
// `a`, then y. Each step is (thread, op, order): fence steps have no object.
struct fenced_step {
  int thread;
  op kind;
  atomic_order order;
};

bool publishes(std::initializer_list<fenced_step> steps) {
  collect out;
  race_detector det(out);
  trace_builder ev;
  det.begin_execution(true);
  for (object_id o = 0; o <= a; ++o) det.on_object(o, object_traits{o == a ? object_kind::atomic : object_kind::shared});
  det.on_event(ev(0, op::thread_spawn, no_object, 1));
  det.on_event(ev(0, op::thread_spawn, no_object, 2));
  for (const fenced_step& st : steps) {
    event e = ev(static_cast<thread_id>(st.thread), st.kind,
                 st.kind == op::atomic_fence ? no_object : st.kind == op::read || st.kind == op::write ? y : a);
    e.order = st.order;
    det.on_event(e);
  }
  return out.found.empty();
}

TEST(RaceDetectorFences, AReleaseFenceBeforeARelaxedStorePublishes) {
  using enum atomic_order;
  EXPECT_TRUE(publishes({{1, op::write, seq_cst}, {1, op::atomic_fence, release}, {1, op::atomic_store, relaxed},
                         {2, op::atomic_load, acquire}, {2, op::read, seq_cst}}));
  EXPECT_FALSE(publishes({{1, op::write, seq_cst}, {1, op::atomic_store, relaxed}, {2, op::atomic_load, acquire},
                          {2, op::read, seq_cst}}))
      << "no fence: the relaxed store releases nothing";
  EXPECT_FALSE(publishes({{1, op::atomic_fence, release}, {1, op::write, seq_cst}, {1, op::atomic_store, relaxed},
                          {2, op::atomic_load, acquire}, {2, op::read, seq_cst}}))
      << "the write after the fence is not released by it";
}

TEST(RaceDetectorFences, AnAcquireFenceAfterARelaxedLoadAcquires) {
  using enum atomic_order;
  EXPECT_TRUE(publishes({{1, op::write, seq_cst}, {1, op::atomic_store, release}, {2, op::atomic_load, relaxed},
                         {2, op::atomic_fence, acquire}, {2, op::read, seq_cst}}));
  EXPECT_FALSE(publishes({{1, op::write, seq_cst}, {1, op::atomic_store, release}, {2, op::atomic_load, relaxed},
                          {2, op::read, seq_cst}, {2, op::atomic_fence, acquire}}))
      << "the read before the fence is not ordered by it";
  EXPECT_TRUE(publishes({{1, op::write, seq_cst}, {1, op::atomic_fence, seq_cst}, {1, op::atomic_store, relaxed},
                         {2, op::atomic_load, relaxed}, {2, op::atomic_fence, seq_cst}, {2, op::read, seq_cst}}))
      << "fence to fence through a relaxed flag";
}

TEST(RaceDetectorFences, FencesAloneOrderNothing) {
  using enum atomic_order;
  EXPECT_FALSE(publishes({{1, op::write, seq_cst}, {1, op::atomic_fence, seq_cst}, {2, op::atomic_fence, seq_cst},
                          {2, op::read, seq_cst}}))
      << "no atomic between them: a race, fences or not";
}

}  // namespace race_test
}  // namespace lab
