// Random lab programs for the exhaustive strategies' oracles, and the canonical form of an
// execution's Mazurkiewicz trace that counts their classes.
//
// A program is 2-4 threads, each a few operations from a grammar of the shapes users write:
// atomics (load, store, fetch_add, compare_exchange), plain lab::shared reads and writes, lock
// blocks on three mutexes nested in any order (deadlocks included) with accesses inside,
// try_lock, a binary semaphore, a condition variable with a flag (one waiter), a child thread
// spawned and joined, and a bounded spin loop that yields. What each thread saw goes into its
// log; the outcome is the logs, the final values and the finding, if any.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "harness/lab.h"
#include "harness/scheduler/dpor.h"
#include "harness/scheduler/strategy.h"

namespace lab::test {

struct random_program {
  enum class opk : std::uint8_t {
    store, load, fetch_add, cas, plain_read, plain_write, lock, try_lock, sem, child, spin, signal, wait_flag, count
  };
  struct instr {
    opk k = opk::load;
    int obj = 0;
    std::vector<instr> body;  ///< lock, try_lock, sem: what runs while held
  };
  std::vector<std::vector<instr>> threads;
  /// Atomics with weaker orders (relaxed loads and stores, acq_rel read-modify-writes): for the
  /// weak memory model's oracle.
  bool weak = false;

  static constexpr int mutexes = 3;

  /// The program of `seed`: the same seed, the same program.
  static random_program random(std::uint64_t seed) {
    splitmix64 g{seed};
    random_program p;
    const std::uint64_t n = 2 + g.below(g.below(3) == 0 ? 3 : 2);  // 2-3, sometimes 4
    bool waiter = false;
    for (std::uint64_t t = 0; t < n; ++t) {
      std::vector<instr> body;
      const std::uint64_t ops = 1 + g.below(n >= 3 ? 2 : 3);
      for (std::uint64_t i = 0; i < ops; ++i) body.push_back(draw(g, 0, waiter, -1));
      p.threads.push_back(std::move(body));
    }
    return p;
  }

  /// One operation; `depth` locks are held (`held`: the innermost mutex, -1 for none).
  static instr draw(splitmix64& g, int depth, bool& waiter, int held) {
    for (;;) {
      auto k = static_cast<opk>(g.below(static_cast<std::uint64_t>(opk::count)));
      instr in{k, static_cast<int>(g.below(2)), {}};
      switch (k) {
        case opk::lock:
        case opk::try_lock:
        case opk::sem: {
          if (depth >= 2 || (k == opk::sem && depth > 0)) continue;
          if (k != opk::sem) {
            in.obj = static_cast<int>(g.below(mutexes));
            if (in.obj == held) in.obj = (in.obj + 1) % mutexes;  // never relock (not what this checks)
          }
          const std::uint64_t inside = g.below(depth == 0 ? 3 : 2);
          for (std::uint64_t i = 0; i < inside; ++i) in.body.push_back(draw(g, depth + 1, waiter, k == opk::sem ? held : in.obj));
          return in;
        }
        case opk::signal:
        case opk::wait_flag:
        case opk::child:
          if (depth > 0) continue;  // they take m[0] or wait: top level only
          if (k == opk::wait_flag) {
            if (waiter) in.k = opk::signal;  // one waiter per program
            waiter = true;
          }
          return in;
        default: return in;
      }
    }
  }

  struct world {
    lab::mutex m[mutexes];
    lab::atomic<int> a[2] = {lab::atomic<int>{0}, lab::atomic<int>{0}};
    lab::shared<int> v[2] = {lab::shared<int>{0}, lab::shared<int>{0}};
    lab::condition_variable cv;
    lab::shared<int> flag{0};
    lab::binary_semaphore sem{1};
  };

  void run_instr(world& w, const instr& in, std::vector<int>& log) const {
    const auto plain = weak ? std::memory_order_relaxed : std::memory_order_seq_cst;
    const auto rmw = weak ? std::memory_order_acq_rel : std::memory_order_seq_cst;
    switch (in.k) {
      case opk::store: w.a[in.obj].store(7, plain); break;
      case opk::load: log.push_back(w.a[in.obj].load(plain)); break;
      case opk::fetch_add: log.push_back(w.a[in.obj].fetch_add(1, rmw)); break;
      case opk::cas: {
        int expected = 0;
        log.push_back(w.a[in.obj].compare_exchange_strong(expected, 3, rmw) ? 1 : expected);
        break;
      }
      case opk::plain_read: log.push_back(w.v[in.obj].load()); break;
      case opk::plain_write: w.v[in.obj] = w.v[in.obj].load() + 10; break;
      case opk::lock: {
        lab::lock_guard g(w.m[in.obj]);
        for (const instr& b : in.body) run_instr(w, b, log);
        break;
      }
      case opk::try_lock:
        if (w.m[in.obj].try_lock()) {
          for (const instr& b : in.body) run_instr(w, b, log);
          w.m[in.obj].unlock();
          log.push_back(1);
        } else {
          log.push_back(0);
        }
        break;
      case opk::sem:
        w.sem.acquire();
        for (const instr& b : in.body) run_instr(w, b, log);
        w.sem.release();
        break;
      case opk::child: {
        lab::thread c([&] { w.a[in.obj].fetch_add(5); });
        c.join();
        log.push_back(w.a[in.obj].load());
        break;
      }
      case opk::spin: {
        int i = 0;
        for (; i < 2 && w.a[in.obj].load(plain) == 0; ++i) lab::this_thread::yield();
        log.push_back(10 + i);
        break;
      }
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
      case opk::count: break;
    }
  }

  /// One execution; `outcome` gets what it ended with (a finding is added by the caller).
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

  static std::string describe(const instr& in) {
    static const char* names[] = {"store", "load", "fetch_add", "cas", "read", "write", "lock", "try_lock",
                                  "sem", "child", "spin", "signal", "wait_flag"};
    std::string s = fmt::format("{}({})", names[static_cast<int>(in.k)], in.obj);
    if (!in.body.empty()) {
      std::vector<std::string> inner;
      for (const instr& b : in.body) inner.push_back(describe(b));
      s += fmt::format(" {{ {} }}", fmt::join(inner, "; "));
    }
    return s;
  }
  /// The program as text, a thread per line: what a failure message prints.
  std::string describe() const {
    std::string out;
    for (std::size_t t = 0; t < threads.size(); ++t) {
      std::vector<std::string> ops;
      for (const instr& in : threads[t]) ops.push_back(describe(in));
      out += fmt::format("  T{}: {}\n", t + 1, fmt::join(ops, "; "));
    }
    return out;
  }

  /// Smaller programs: a thread, an operation or a block's body left out, a block unwrapped.
  std::vector<random_program> shrinks() const {
    std::vector<random_program> out;
    if (threads.size() > 1)
      for (std::size_t t = 0; t < threads.size(); ++t) {
        random_program p = *this;
        p.threads.erase(p.threads.begin() + static_cast<std::ptrdiff_t>(t));
        out.push_back(std::move(p));
      }
    for (std::size_t t = 0; t < threads.size(); ++t)
      for (std::size_t i = 0; i < threads[t].size(); ++i) {
        random_program p = *this;
        auto& ops = p.threads[t];
        instr removed = ops[i];
        ops.erase(ops.begin() + static_cast<std::ptrdiff_t>(i));
        if (!ops.empty()) out.push_back(p);
        if (!removed.body.empty()) {  // unwrap the block, then drop one operation inside it
          random_program q = *this;
          auto& qops = q.threads[t];
          qops.erase(qops.begin() + static_cast<std::ptrdiff_t>(i));
          qops.insert(qops.begin() + static_cast<std::ptrdiff_t>(i), removed.body.begin(), removed.body.end());
          out.push_back(std::move(q));
          for (std::size_t b = 0; b < removed.body.size(); ++b) {
            random_program r = *this;
            auto& body = r.threads[t][i].body;
            body.erase(body.begin() + static_cast<std::ptrdiff_t>(b));
            out.push_back(std::move(r));
          }
        }
      }
    return out;
  }
};

/// Wraps a strategy and records each execution's transitions - who ran, what it touched (the
/// footprint DPOR uses), the values it chose - for the canonical form below. Forwards
/// everything else, so the wrapped strategy explores exactly as it would alone.
class trace_recorder final : public strategy {
 public:
  explicit trace_recorder(strategy& inner) : inner_(inner) {}
  struct transition {
    thread_id thread;
    footprint touched;
    std::string values;
  };
  const std::vector<transition>& trace() const { return trace_; }

  std::string_view name() const override { return inner_.name(); }
  bool begin_execution(std::uint64_t index) override {
    trace_.assign(1, {thread_id{0}, {}, {}});
    footprints_.begin_execution();
    return inner_.begin_execution(index);
  }
  pick next_thread(const choice_point& p) override {
    pick k = inner_.next_thread(p);
    trace_.push_back({k.thread, {}, {}});
    return k;
  }
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override {
    std::uint64_t v = inner_.next_value(bound, kind);
    trace_.back().values += fmt::format("v{} ", v);
    return v;
  }
  void end_execution(std::uint64_t choices) override { inner_.end_execution(choices); }
  bool observes() const override { return true; }
  void observe(const event& e, std::uint64_t key) override {
    footprints_.add(trace_.back().touched, e, key);
    if (inner_.observes()) inner_.observe(e, key);
  }
  bool exhausted() const override { return inner_.exhausted(); }
  std::uint64_t classes() const override { return inner_.classes(); }
  bool owns_last() const override { return inner_.owns_last(); }

 private:
  strategy& inner_;
  std::vector<transition> trace_;
  footprinter footprints_;
};

/// The canonical form of an execution's Mazurkiewicz trace (Mazurkiewicz, "Trace theory",
/// 1987), over accesses: each thread's accesses in order (with the values it chose) and, for
/// every object, the order of the accesses to it, the reads between two writes as a set. Two
/// executions are equivalent - one reorders independent accesses of the other - exactly when
/// these agree. Accesses, not transitions: where a thread's transitions begin depends on when it
/// blocked (a join that waited splits what one that did not wait runs in one go).
inline std::string canonical_class(const std::vector<trace_recorder::transition>& trace) {
  std::map<std::uint32_t, std::vector<std::string>> per_thread;
  std::map<std::uint64_t, std::vector<std::string>> per_key;
  std::map<std::uint64_t, std::set<std::string>> pending_reads;
  for (const auto& t : trace) {
    auto& mine = per_thread[t.thread.value];
    if (!t.values.empty()) mine.push_back(t.values);
    for (const auto& e : t.touched.sequence()) {
      std::string who = fmt::format("T{}#{}", t.thread.value, mine.size());
      mine.push_back(fmt::format("{:x}/{}", e.key, static_cast<int>(e.how)));
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
  for (const auto& [k, reads] : pending_reads)
    if (!reads.empty()) per_key[k].push_back(fmt::format("R{{{}}}", fmt::join(reads, ",")));
  std::string out;
  for (const auto& [t, fps] : per_thread) out += fmt::format("T{}: {}\n", t, fmt::join(fps, " "));
  for (const auto& [k, seq] : per_key) out += fmt::format("{:x}: {}\n", k, fmt::join(seq, " "));
  return out;
}

}  // namespace lab::test
