// lab::process_pool: a pool of worker processes (multiprocessing.Pool, ProcessPoolExecutor),
// modelled on lab threads so that both backends and every detector see it.
//
//   lab::process_pool pool(2);                                  // two worker processes
//   auto f = pool.submit([](lab::gil& py) { py.acquire(); py.compute(200ms); py.release(); return 1; });
//   std::vector<int> r = pool.map(square, items, /*chunksize=*/250);
//
// What makes a process pool differ from a thread pool, and what the model keeps of it:
//  - start-up: a worker is a new process (fork or spawn, then the interpreter starts): it pays
//    `costs.startup` of (virtual) time before its first job, as ProcessPoolExecutor starts its
//    workers on demand;
//  - no shared memory: a job and its result cross a pipe (pickled, written, read, unpickled):
//    `costs.message` per crossing, paid by the worker - two per job, the job in and the result
//    out. Fine-grained jobs pay it per item; map's `chunksize` pays it per chunk (chatty_ipc);
//  - an interpreter each: a job that takes a `lab::gil&` gets its worker's own GIL, so CPU-bound
//    "Python" jobs run in parallel where threads of one interpreter take turns (gil_cpu_threads).
// Jobs must be self-contained - capture by value, return by value: a real worker cannot touch
// the submitter's memory, so a job that does is a bug in the model, not a finding.
//
// Same contract as lab::thread_pool otherwise: FIFO, submit() returns a lab::future, the
// destructor lets queued jobs finish. Thread-safety: submit and map from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "harness/sync/gil.h"
#include "harness/sync/thread.h"
#include "harness/sync/thread_pool.h"

namespace lab {

/// What crossing a process boundary costs (defaults: Linux, CPython, fork start method).
struct ipc_costs {
  std::chrono::nanoseconds startup = std::chrono::milliseconds(5);   ///< per worker, before its first job
  std::chrono::nanoseconds message = std::chrono::microseconds(50);  ///< per crossing of the pipe
};

class process_pool {
 public:
  explicit process_pool(std::size_t workers, const char* name = "processes", ipc_costs costs = {},
                        std::source_location loc = std::source_location::current())
      : costs_(costs), pool_(workers, name, loc) {
    for (std::size_t i = 0; i < workers; ++i) idle_.push_back(std::make_unique<process>(loc));
  }
  process_pool(const process_pool&) = delete;
  process_pool& operator=(const process_pool&) = delete;

  /// Starts every worker process now (multiprocessing.Pool does so when it is made) and returns
  /// once they are up: one start-up time, as they start in parallel. Call it before the first
  /// job; afterwards jobs pay only their crossings.
  void start() {
    bool any = false;
    {
      std::lock_guard g(idle_m_);
      for (auto& p : idle_) any |= !std::exchange(p->started, true);
    }
    if (any) lab::this_thread::sleep_for(costs_.startup);
  }

  /// Runs `f()` - or `f(gil)` with the worker's own interpreter lock - in a worker process.
  template <class F>
  auto submit(F f, std::source_location loc = std::source_location::current()) {
    using R = decltype(call(f, std::declval<gil&>()));
    return pool_.submit(
        [this, f = std::move(f)]() mutable -> R {
          std::unique_ptr<process> p = claim();
          if (!p->started) {
            lab::this_thread::sleep_for(costs_.startup);  // fork/spawn, interpreter start-up
            p->started = true;
          }
          lab::this_thread::sleep_for(costs_.message);  // the job comes in
          struct give_back {
            process_pool* pool;
            std::unique_ptr<process>* p;
            ~give_back() { pool->release(std::move(*p)); }
          } back{this, &p};
          if constexpr (std::is_void_v<R>) {
            call(f, p->interpreter);
            lab::this_thread::sleep_for(costs_.message);  // the (empty) result goes out
          } else {
            R r = call(f, p->interpreter);
            lab::this_thread::sleep_for(costs_.message);  // the result goes out
            return r;
          }
        },
        loc);
  }

  /// Pool.map(f, items, chunksize): `f` applied to every item, results in order; the items are
  /// shipped `chunksize` at a time (one job, two crossings per chunk).
  template <class F, class A>
  auto map(F f, const std::vector<A>& items, std::size_t chunksize = 1,
           std::source_location loc = std::source_location::current()) {
    using R = std::invoke_result_t<F&, const A&>;
    if (chunksize == 0) chunksize = 1;
    std::vector<future<std::vector<R>>> chunks;
    for (std::size_t at = 0; at < items.size(); at += chunksize) {
      std::vector<A> chunk(items.begin() + static_cast<std::ptrdiff_t>(at),
                           items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), at + chunksize)));
      chunks.push_back(submit(
          [f, chunk = std::move(chunk)]() mutable {
            std::vector<R> out;
            out.reserve(chunk.size());
            for (const A& a : chunk) out.push_back(f(a));
            return out;
          },
          loc));
    }
    std::vector<R> results;
    results.reserve(items.size());
    for (auto& c : chunks)
      for (R& r : c.get(loc)) results.push_back(std::move(r));
    return results;
  }

 private:
  struct process {
    explicit process(std::source_location loc) : interpreter(std::chrono::milliseconds(5), "GIL", loc) {}
    gil interpreter;  ///< its own: nobody else's threads compete for it
    bool started = false;
  };
  template <class F>
  static decltype(auto) call(F& f, gil& g) {
    if constexpr (std::is_invocable_v<F&, gil&>) return f(g);
    else return f();
  }
  // The bookkeeping of which modelled process a worker thread runs as is the model's, not the
  // program's: a plain std::mutex, invisible to the detectors. At most `workers` jobs run at
  // once, so a process is always idle when a job starts.
  std::unique_ptr<process> claim() {
    std::lock_guard g(idle_m_);
    std::unique_ptr<process> p = std::move(idle_.back());
    idle_.pop_back();
    return p;
  }
  void release(std::unique_ptr<process> p) {
    std::lock_guard g(idle_m_);
    idle_.push_back(std::move(p));
  }

  ipc_costs costs_;
  std::mutex idle_m_;
  std::vector<std::unique_ptr<process>> idle_;  // guarded by idle_m_
  thread_pool pool_;  // last: its destructor joins the workers while the processes still exist
};

}  // namespace lab
