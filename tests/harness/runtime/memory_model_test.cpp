// The weak memory model against the litmus tests: every outcome RC11 allows is reached by an
// exhaustive search (dpor), and no outcome it forbids ever is. The expected sets follow RC11
// (Lahav, Vafeiadis, Kang, Hur, Dreyer, "Repairing sequential consistency in C/C++11", PLDI
// 2017, and the C++20 standard's [atomics.order] examples); the names are the usual ones
// (Alglave, Maranget, Tautschnig, "Herding cats", TOPLAS 2014). Each outcome is written
// "r1=.. r2=.." (loads) and "x=.." (final values, read after every thread joined).
#include "harness/runtime/memory_model.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <string>

#include "harness/explore/explorer.h"
#include "harness/lab.h"

namespace lab {
namespace memory_model_test {

using outcomes = std::set<std::string>;
constexpr auto rlx = std::memory_order_relaxed;
constexpr auto acq = std::memory_order_acquire;
constexpr auto rel = std::memory_order_release;
constexpr auto sc = std::memory_order_seq_cst;

/// Every outcome of `program` in an exhaustive search (the search must end: verified).
outcomes reach(const std::function<std::string()>& program, std::string strategy = "dpor",
               std::uint64_t schedules = 200000) {
  outcomes seen;
  auto rep = explore("litmus", [&] { seen.insert(program()); },
                     {.strategy = strategy, .schedules = schedules, .jobs = 1});
  EXPECT_EQ(rep.result, verdict::clean) << rep.note;
  if (strategy == "dpor") {
    EXPECT_TRUE(rep.stats.exhaustive) << rep.note;
  }
  return seen;
}

std::string rs(int r1, int r2) { return "r1=" + std::to_string(r1) + " r2=" + std::to_string(r2); }
outcomes all_pairs() { return {rs(0, 0), rs(0, 1), rs(1, 0), rs(1, 1)}; }

// SB, store buffering: each thread writes one atomic and reads the other. r1 = r2 = 0 needs both
// loads to miss the other thread's store: allowed unless the order is total (seq_cst, or
// seq_cst fences between the store and the load on both sides).
std::string store_buffering(std::memory_order w, std::memory_order r, bool fence1 = false, bool fence2 = false) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  int r1 = 0, r2 = 0;
  lab::thread a([&] {
    x.store(1, w);
    if (fence1) lab::atomic_thread_fence(sc);
    r1 = y.load(r);
  });
  lab::thread b([&] {
    y.store(1, w);
    if (fence2) lab::atomic_thread_fence(sc);
    r2 = x.load(r);
  });
  a.join();
  b.join();
  return rs(r1, r2);
}

TEST(MemoryModel, StoreBuffering) {
  EXPECT_EQ(reach([] { return store_buffering(rlx, rlx); }), all_pairs());
  EXPECT_EQ(reach([] { return store_buffering(rel, acq); }), all_pairs());
  EXPECT_EQ(reach([] { return store_buffering(sc, sc); }), (outcomes{rs(0, 1), rs(1, 0), rs(1, 1)}));
  EXPECT_EQ(reach([] { return store_buffering(rlx, rlx, true, true); }), (outcomes{rs(0, 1), rs(1, 0), rs(1, 1)}));
  EXPECT_EQ(reach([] { return store_buffering(rlx, rlx, true, false); }), all_pairs());
}

// MP, message passing: data then flag; the reader reads the flag then the data. Seeing the
// flag but not the data (r1 = 1, r2 = 0) is allowed only when nothing synchronises.
std::string message_passing(std::memory_order w, std::memory_order r, bool fences = false) {
  lab::atomic<int> data{0, "data"}, flag{0, "flag"};
  int r1 = 0, r2 = 0;
  lab::thread a([&] {
    data.store(1, rlx);
    if (fences) lab::atomic_thread_fence(rel);
    flag.store(1, w);
  });
  lab::thread b([&] {
    r1 = flag.load(r);
    if (fences) lab::atomic_thread_fence(acq);
    r2 = data.load(rlx);
  });
  a.join();
  b.join();
  return rs(r1, r2);
}

TEST(MemoryModel, MessagePassing) {
  EXPECT_EQ(reach([] { return message_passing(rlx, rlx); }), all_pairs());
  EXPECT_EQ(reach([] { return message_passing(rel, rlx); }), all_pairs());
  EXPECT_EQ(reach([] { return message_passing(rlx, acq); }), all_pairs());
  const outcomes synchronised{rs(0, 0), rs(0, 1), rs(1, 1)};
  EXPECT_EQ(reach([] { return message_passing(rel, acq); }), synchronised);
  EXPECT_EQ(reach([] { return message_passing(sc, sc); }), synchronised);
  EXPECT_EQ(reach([] { return message_passing(rlx, rlx, true); }), synchronised);
}

// LB, load buffering: each thread reads one atomic, then writes the other. r1 = r2 = 1 would
// need each load to read a store that comes after the other load: RC11 forbids it at every
// order (no po u rf cycles, so no out-of-thin-air values).
std::string load_buffering(std::memory_order o) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  int r1 = 0, r2 = 0;
  lab::thread a([&] {
    r1 = x.load(o == sc ? sc : rlx);
    y.store(1, o);
  });
  lab::thread b([&] {
    r2 = y.load(o == sc ? sc : rlx);
    x.store(1, o);
  });
  a.join();
  b.join();
  return rs(r1, r2);
}

TEST(MemoryModel, LoadBuffering) {
  const outcomes no_thin_air{rs(0, 0), rs(0, 1), rs(1, 0)};
  EXPECT_EQ(reach([] { return load_buffering(rlx); }), no_thin_air);
  EXPECT_EQ(reach([] { return load_buffering(sc); }), no_thin_air);
}

// IRIW, independent reads of independent writes: two readers see two writes in opposite
// orders. Allowed for acquire loads (no multi-copy atomicity in C++), forbidden when all are
// seq_cst or a seq_cst fence separates each reader's loads.
std::string iriw(std::memory_order w, std::memory_order r, bool fences = false) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  int r1 = 0, r2 = 0, r3 = 0, r4 = 0;
  lab::thread a([&] { x.store(1, w); });
  lab::thread b([&] { y.store(1, w); });
  lab::thread c([&] {
    r1 = x.load(r);
    if (fences) lab::atomic_thread_fence(sc);
    r2 = y.load(r);
  });
  lab::thread d([&] {
    r3 = y.load(r);
    if (fences) lab::atomic_thread_fence(sc);
    r4 = x.load(r);
  });
  a.join();
  b.join();
  c.join();
  d.join();
  return fmt::format("{}{}{}{}", r1, r2, r3, r4);
}

TEST(MemoryModel, IndependentReadsOfIndependentWrites) {
  const std::string weak = "1010";  // c saw x before y, d saw y before x
  EXPECT_TRUE(reach([] { return iriw(rel, acq); }).contains(weak));
  EXPECT_TRUE(reach([] { return iriw(rlx, rlx); }).contains(weak));
  EXPECT_FALSE(reach([] { return iriw(sc, sc); }).contains(weak));
  EXPECT_FALSE(reach([] { return iriw(rlx, rlx, true); }).contains(weak));
  // Every other combination of the four loads stays reachable: all 16 where the weak one is
  // allowed, 15 where it is not.
  EXPECT_EQ(reach([] { return iriw(rel, acq); }).size(), 16u);
  EXPECT_EQ(reach([] { return iriw(rlx, rlx); }).size(), 16u);
  EXPECT_EQ(reach([] { return iriw(sc, sc); }).size(), 15u);
  EXPECT_EQ(reach([] { return iriw(rlx, rlx, true); }).size(), 15u);
}

// WRC, write-to-read causality: b reads a's x, then writes y; c reads y, then x. c missing x
// after seeing y is allowed only without synchronisation (happens-before is transitive).
std::string wrc(std::memory_order w, std::memory_order r) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  int r1 = 0, r2 = 0, r3 = 0;
  lab::thread a([&] { x.store(1, w); });
  lab::thread b([&] {
    r1 = x.load(r);
    y.store(1, w);
  });
  lab::thread c([&] {
    r2 = y.load(r);
    r3 = x.load(rlx);
  });
  a.join();
  b.join();
  c.join();
  return fmt::format("{}{}{}", r1, r2, r3);
}

TEST(MemoryModel, WriteToReadCausality) {
  EXPECT_TRUE(reach([] { return wrc(rlx, rlx); }).contains("110"));
  EXPECT_FALSE(reach([] { return wrc(rel, acq); }).contains("110"));
  EXPECT_FALSE(reach([] { return wrc(sc, sc); }).contains("110"));
  // The other seven combinations of the three loads are allowed at every order.
  EXPECT_EQ(reach([] { return wrc(rlx, rlx); }).size(), 8u);
  EXPECT_EQ(reach([] { return wrc(rel, acq); }).size(), 7u);
  EXPECT_EQ(reach([] { return wrc(sc, sc); }).size(), 7u);
}

// RWC, read-to-write causality: b reads a's x then y; c writes y then reads x.
std::string rwc(std::memory_order o, bool fences) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  int r1 = 0, r2 = 0, r3 = 0;
  lab::thread a([&] { x.store(1, o); });
  lab::thread b([&] {
    r1 = x.load(o);
    if (fences) lab::atomic_thread_fence(sc);
    r2 = y.load(o);
  });
  lab::thread c([&] {
    y.store(1, o);
    if (fences) lab::atomic_thread_fence(sc);
    r3 = x.load(o);
  });
  a.join();
  b.join();
  c.join();
  return fmt::format("{}{}{}", r1, r2, r3);
}

TEST(MemoryModel, ReadToWriteCausality) {
  EXPECT_TRUE(reach([] { return rwc(rlx, false); }).contains("100"));
  EXPECT_FALSE(reach([] { return rwc(sc, false); }).contains("100"));
  EXPECT_FALSE(reach([] { return rwc(rlx, true); }).contains("100"));
  EXPECT_EQ(reach([] { return rwc(rlx, false); }).size(), 8u);
  EXPECT_EQ(reach([] { return rwc(sc, false); }).size(), 7u);
  EXPECT_EQ(reach([] { return rwc(rlx, true); }).size(), 7u);
}

// R: a writes x then y; b writes y then reads x. y ending at 2 (b's store after a's in
// modification order) with b missing x is allowed unless everything is seq_cst.
std::string r_test(std::memory_order o) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  int r1 = 0;
  lab::thread a([&] {
    x.store(1, o);
    y.store(1, o);
  });
  lab::thread b([&] {
    y.store(2, o);
    r1 = x.load(o);
  });
  a.join();
  b.join();
  return fmt::format("y={} r1={}", y.load(), r1);
}

TEST(MemoryModel, R) {
  EXPECT_EQ(reach([] { return r_test(rlx); }), (outcomes{"y=1 r1=0", "y=1 r1=1", "y=2 r1=0", "y=2 r1=1"}));
  EXPECT_EQ(reach([] { return r_test(sc); }), (outcomes{"y=1 r1=0", "y=1 r1=1", "y=2 r1=1"}));
}

// 2+2W and S: their weak outcomes need a store placed before, in modification order, a store
// of the same atomic that ran earlier (program order and reads-from fix the running order): the
// model's store_order choice. Under seq_cst (2+2W) and release/acquire (S) RC11 forbids them.
std::string two_plus_two_w(std::memory_order o) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  lab::thread a([&] {
    x.store(1, o);
    y.store(2, o);
  });
  lab::thread b([&] {
    y.store(1, o);
    x.store(2, o);
  });
  a.join();
  b.join();
  return fmt::format("x={} y={}", x.load(), y.load());
}

std::string s_test(std::memory_order w, std::memory_order r) {
  lab::atomic<int> x{0, "x"}, y{0, "y"};
  int r1 = 0;
  lab::thread a([&] {
    x.store(2, rlx);
    y.store(1, w);
  });
  lab::thread b([&] {
    r1 = y.load(r);
    x.store(1, rlx);
  });
  a.join();
  b.join();
  return fmt::format("r1={} x={}", r1, x.load());
}

TEST(MemoryModel, TwoPlusTwoWritesAndS) {
  EXPECT_FALSE(reach([] { return two_plus_two_w(sc); }).contains("x=1 y=1"));
  EXPECT_FALSE(reach([] { return s_test(rel, acq); }).contains("r1=1 x=2"));
  EXPECT_EQ(reach([] { return two_plus_two_w(rlx); }),
            (outcomes{"x=1 y=1", "x=1 y=2", "x=2 y=1", "x=2 y=2"}));
  EXPECT_TRUE(reach([] { return two_plus_two_w(rel); }).contains("x=1 y=1"));
  EXPECT_EQ(reach([] { return s_test(rlx, rlx); }), (outcomes{"r1=0 x=1", "r1=0 x=2", "r1=1 x=1", "r1=1 x=2"}));
  EXPECT_EQ(reach([] { return two_plus_two_w(sc); }).size(), 3u);
}

// Coherence: the four shapes every order keeps, relaxed included.
TEST(MemoryModel, CoherenceHoldsAtEveryOrder) {
  // CoRR: two reads of one thread never see the stores in the opposite of modification order.
  auto corr = reach([] {
    lab::atomic<int> x{0, "x"};
    int r1 = 0, r2 = 0;
    lab::thread a([&] { x.store(1, rlx); });
    lab::thread b([&] {
      r1 = x.load(rlx);
      r2 = x.load(rlx);
    });
    a.join();
    b.join();
    return rs(r1, r2);
  });
  EXPECT_EQ(corr, (outcomes{rs(0, 0), rs(0, 1), rs(1, 1)}));
  // CoWR: a thread reads its own store or a later one, never what came before it.
  auto cowr = reach([] {
    lab::atomic<int> x{0, "x"};
    int r1 = 0;
    lab::thread a([&] {
      x.store(1, rlx);
      r1 = x.load(rlx);
    });
    lab::thread b([&] { x.store(2, rlx); });
    a.join();
    b.join();
    return fmt::format("r1={} x={}", r1, x.load());
  });
  EXPECT_EQ(cowr, (outcomes{"r1=1 x=1", "r1=1 x=2", "r1=2 x=2"}));
  // CoRW: a store after a read comes after, in modification order, the store read.
  auto corw = reach([] {
    lab::atomic<int> x{0, "x"};
    int r1 = 0;
    lab::thread a([&] {
      r1 = x.load(rlx);
      x.store(1, rlx);
    });
    lab::thread b([&] { x.store(2, rlx); });
    a.join();
    b.join();
    return fmt::format("r1={} x={}", r1, x.load());
  });
  EXPECT_FALSE(corw.contains("r1=2 x=2"));
  EXPECT_TRUE(corw.contains("r1=0 x=1") && corw.contains("r1=0 x=2") && corw.contains("r1=2 x=1"));
  // CoWW: one thread's two stores keep their order.
  auto coww = reach([] {
    lab::atomic<int> x{0, "x"};
    lab::thread a([&] {
      x.store(1, rlx);
      x.store(2, rlx);
    });
    a.join();
    return fmt::format("x={}", x.load(rlx));
  });
  EXPECT_EQ(coww, (outcomes{"x=2"}));
}

// RMWs read the latest store: two relaxed increments never lose one.
TEST(MemoryModel, ReadModifyWritesReadTheLatestStore) {
  auto counts = reach([] {
    lab::atomic<int> n{0, "n"};
    lab::thread a([&] { n.fetch_add(1, rlx); });
    lab::thread b([&] { n.fetch_add(1, rlx); });
    a.join();
    b.join();
    return std::to_string(n.load(rlx));
  });
  EXPECT_EQ(counts, (outcomes{"2"}));
  // Atomicity: no store goes between an RMW and the store it read, in modification order.
  auto atomic_rmw = reach([] {
    lab::atomic<int> x{0, "x"};
    int old = -1;
    lab::thread a([&] { old = x.fetch_add(1, rlx); });
    lab::thread b([&] { x.store(5, rlx); });
    a.join();
    b.join();
    return fmt::format("old={} x={}", old, x.load());
  });
  EXPECT_EQ(atomic_rmw, (outcomes{"old=0 x=5", "old=5 x=6"}));
}

// A failed compare_exchange is a load: it may read a stale store; a weak one may fail
// spuriously (with --spurious).
TEST(MemoryModel, CompareExchangeFailsOnStaleReadsAndWeakOnesSpuriously) {
  auto stale = reach([] {
    lab::atomic<int> x{0, "x"};
    int seen = -1;
    lab::thread a([&] { x.store(1, rlx); });
    lab::thread b([&] {
      int expected = 5;
      (void)x.compare_exchange_strong(expected, 7, rlx);
      seen = expected;
    });
    a.join();
    b.join();
    return std::to_string(seen);
  });
  EXPECT_EQ(stale, (outcomes{"0", "1"}));
  auto weak = [](bool spurious) {
    outcomes seen;
    auto rep = explore("weak cas", [&] {
      lab::atomic<int> x{0, "x"};
      int expected = 0;
      seen.insert(x.compare_exchange_weak(expected, 1) ? "ok" : "failed");
    }, {.strategy = "dpor", .spurious = spurious ? 0.5 : 0.0});
    EXPECT_TRUE(rep.stats.exhaustive) << rep.note;
    return seen;
  };
  EXPECT_EQ(weak(false), (outcomes{"ok"}));
  EXPECT_EQ(weak(true), (outcomes{"ok", "failed"}));
}

// Random and PCT reach the weak outcomes too, within a budget.
TEST(MemoryModel, SamplersReachStaleReads) {
  for (const char* s : {"random", "pct"}) {
    EXPECT_TRUE(reach([] { return store_buffering(rlx, rlx); }, s, 2000).contains(rs(0, 0))) << s;
    EXPECT_TRUE(reach([] { return message_passing(rlx, rlx); }, s, 2000).contains(rs(1, 0))) << s;
    EXPECT_FALSE(reach([] { return message_passing(rel, acq); }, s, 2000).contains(rs(1, 0))) << s;
  }
}

// --memory-model sc: every load reads the latest store, as before.
TEST(MemoryModel, TheScModelReadsTheLatestStore) {
  outcomes seen;
  auto rep = explore("sb", [&] { seen.insert(store_buffering(rlx, rlx)); },
                     {.strategy = "dpor", .memory_model = "sc"});
  EXPECT_TRUE(rep.stats.exhaustive);
  EXPECT_EQ(seen, (outcomes{rs(0, 1), rs(1, 0), rs(1, 1)}));
}

// A relaxed spin loop ends: reading the same stale store a third time in a row is not offered.
TEST(MemoryModel, ARelaxedSpinLoopHasFinitelyManyExecutions) {
  auto rep = explore("spin", [] {
    lab::atomic<int> flag{0, "flag"};
    lab::thread a([&] { flag.store(1, rlx); });
    lab::thread b([&] {
      while (flag.load(rlx) == 0) lab::this_thread::yield();
    });
    a.join();
    b.join();
  }, {.strategy = "dpor"});
  EXPECT_EQ(rep.result, verdict::clean) << rep.note;
  EXPECT_TRUE(rep.stats.exhaustive) << rep.note << " executions " << rep.stats.executions;
}

// A stale read synchronises with the store it read, not with the latest one: reading the
// release store 1 (while the relaxed store 2, which ends its release sequence, already ran)
// orders the payload; reading 2 orders nothing.
void stale_release(int guarded_on) {
  lab::shared<int> data{0, "data"};
  lab::atomic<int> x{0, "x"};
  lab::thread a([&] {
    data = 1;
    x.store(1, rel);
    x.store(2, rlx);
  });
  lab::thread b([&] {
    if (x.load(acq) == guarded_on) (void)(data == 1);
  });
  a.join();
  b.join();
}

TEST(MemoryModel, AStaleReadSynchronisesWithTheStoreItRead) {
  auto synced = explore("stale release", [] { stale_release(1); }, {.strategy = "dpor"});
  EXPECT_EQ(synced.result, verdict::clean) << synced.note;
  EXPECT_TRUE(synced.stats.exhaustive);
  auto unsynced = explore("relaxed tail", [] { stale_release(2); }, {.strategy = "dpor"});
  EXPECT_EQ(unsynced.result, verdict::data_race) << unsynced.note;
}

// The textbook programs: a weak order breaks them, the right order fixes them (verified).
void peterson(std::memory_order w, std::memory_order r) {
  lab::atomic<bool> flag0{false, "flag0"}, flag1{false, "flag1"};
  lab::atomic<int> turn{0, "turn"};
  lab::shared<int> inside{0, "inside"};
  auto enter = [&](lab::atomic<bool>& mine, lab::atomic<bool>& theirs, int other) {
    mine.store(true, w);
    turn.store(other, w);
    while (theirs.load(r) && turn.load(r) == other) lab::this_thread::yield();
    inside = inside + 1;  // the critical section
    mine.store(false, w);
  };
  lab::thread a([&] { enter(flag0, flag1, 1); });
  lab::thread b([&] { enter(flag1, flag0, 0); });
  a.join();
  b.join();
}

TEST(MemoryModel, PetersonNeedsSeqCst) {
  auto broken = explore("peterson", [] { peterson(rel, acq); }, {.strategy = "dpor", .schedules = 100000});
  EXPECT_EQ(broken.result, verdict::data_race) << broken.note;
  auto fixed = explore("peterson", [] { peterson(sc, sc); }, {.strategy = "dpor", .schedules = 100000});
  EXPECT_EQ(fixed.result, verdict::clean) << fixed.note;
  EXPECT_TRUE(fixed.stats.exhaustive) << fixed.note;
}

TEST(MemoryModel, StoreBufferingAssertionIsFoundAndItsSeqCstTwinVerified) {
  auto sb = [](std::memory_order o) {
    return [o] {
      auto out = store_buffering(o, o);
      lab::assert_that(out != rs(0, 0), "one thread sees the other's store");
    };
  };
  auto broken = explore("sb", sb(rlx), {.strategy = "dpor"});
  EXPECT_EQ(broken.result, verdict::assertion_failed) << broken.note;
  auto fixed = explore("sb", sb(sc), {.strategy = "dpor"});
  EXPECT_EQ(fixed.result, verdict::clean);
  EXPECT_TRUE(fixed.stats.exhaustive) << fixed.note;
  for (const char* s : {"random", "pct"})
    EXPECT_EQ(explore("sb", sb(rlx), {.strategy = s, .schedules = 2000}).result, verdict::assertion_failed) << s;
}

}  // namespace memory_model_test
}  // namespace lab
