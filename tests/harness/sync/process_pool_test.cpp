#include "harness/sync/process_pool.h"

#include <gtest/gtest.h>

#include <vector>

#include "harness/gtest/model.h"

namespace lab {
namespace process_pool_test {

using namespace std::chrono_literals;

// One job: start-up, the job in, the work, the result out - in virtual time.
TEST(ProcessPool, AJobPaysStartUpAndTwoCrossings) {
  lab::model([] {
    lab::process_pool pool(1, "p", {.startup = 5ms, .message = 50us});
    auto start = lab::now();
    int v = pool.submit([] {
                  lab::this_thread::work(1ms);
                  return 7;
                }).get();
    lab::assert_that(v == 7, "the result comes back");
    lab::assert_that(lab::now() - start == 5ms + 50us + 1ms + 50us, "5 ms + 50 us + 1 ms + 50 us");
    auto again = lab::now();
    pool.submit([] { return 0; }).get();
    lab::assert_that(lab::now() - again == 100us, "a started worker pays only the crossings");
  }, {.schedules = 20});
}

TEST(ProcessPool, StartBringsEveryWorkerUpAtOnce) {
  lab::model([] {
    lab::process_pool pool(2, "p", {.startup = 5ms, .message = 50us});
    pool.start();
    lab::assert_that(lab::now() == 5ms, "two workers started in parallel");
    auto a = pool.submit([] { return 1; });
    auto b = pool.submit([] { return 2; });
    lab::assert_that(a.get() + b.get() == 3, "both results");
    lab::assert_that(lab::now() == 5ms + 100us, "no start-up left to pay");
  }, {.schedules = 20});
}

// Each worker has its own GIL: CPU-bound jobs run in parallel, unlike threads of one interpreter.
TEST(ProcessPool, EachWorkerHasItsOwnInterpreter) {
  lab::model([] {
    lab::process_pool pool(3, "p", {.startup = 0ms, .message = 0ms});
    auto start = lab::now();
    std::vector<lab::future<int>> jobs;
    for (int i = 0; i < 3; ++i)
      jobs.push_back(pool.submit([](lab::gil& py) {
        py.acquire();
        py.compute(100ms);
        py.release();
        return 1;
      }));
    for (auto& j : jobs) j.get();
    lab::assert_that(lab::now() - start == 100ms, "three 100 ms jobs in 100 ms");
  }, {.schedules = 30});
}

TEST(ProcessPool, MapKeepsOrderAndChunkingSavesCrossings) {
  for (std::size_t chunk : {std::size_t{1}, std::size_t{50}}) {
    std::chrono::nanoseconds took{};
    lab::model([&] {
      lab::process_pool pool(2, "p", {.startup = 0ms, .message = 50us});
      std::vector<int> in(100);
      for (int i = 0; i < 100; ++i) in[static_cast<std::size_t>(i)] = i;
      auto start = lab::now();
      std::vector<int> out = pool.map([](int x) { return x * x; }, in, chunk);
      took = lab::now() - start;
      bool ordered = out.size() == 100;
      for (int i = 0; ordered && i < 100; ++i) ordered = out[static_cast<std::size_t>(i)] == i * i;
      lab::assert_that(ordered, "results in item order");
    }, {.schedules = 5});
    // 100 jobs x 100 us over two workers, or 2 jobs x 100 us in parallel.
    EXPECT_EQ(took, chunk == 1 ? std::chrono::nanoseconds(5ms) : std::chrono::nanoseconds(100us)) << chunk;
  }
}

TEST(ProcessPool, ExceptionsComeBackThroughTheFuture) {
  lab::model([] {
    lab::process_pool pool(1, "p", {.startup = 0ms, .message = 0ms});
    bool caught = false;
    try {
      pool.submit([]() -> int { throw std::runtime_error("worker failed"); }).get();
    } catch (const std::runtime_error&) {
      caught = true;
    }
    lab::assert_that(caught, "rethrown by get()");
    lab::assert_that(pool.submit([] { return 2; }).get() == 2, "the worker process is still usable");
  }, {.schedules = 10});
}

TEST(ProcessPool, RunsOnTheLoopsExecutorSlot) {
  lab::model([] {
    lab::process_pool pool(1, "p", {.startup = 0ms, .message = 0ms});
    lab::event_loop loop;
    int v = loop.run([](lab::process_pool& p) -> task<int> {
      auto* here = co_await lab::this_loop();
      co_return co_await here->run_in_executor(p, [](lab::gil& py) {
        py.acquire();
        py.compute(10ms);
        py.release();
        return 5;
      });
    }(pool));
    lab::assert_that(v == 5, "run_in_executor(process_pool, f)");
    int w = loop.run([](lab::process_pool& p) -> task<int> {
      auto* here = co_await lab::this_loop();
      co_return co_await here->run_in_executor(p, [] { return 6; });  // a job without the GIL
    }(pool));
    lab::assert_that(w == 6, "run_in_executor(process_pool, f) with f()");
  }, {.schedules = 10});
}

TEST(ProcessPool, NativeBackend) {
  lab::process_pool pool(2, "p", {.startup = 0ms, .message = 0ms});
  std::vector<int> in{1, 2, 3, 4, 5};
  EXPECT_EQ(pool.map([](int x) { return x + 1; }, in, 2), (std::vector<int>{2, 3, 4, 5, 6}));
}

}  // namespace process_pool_test
}  // namespace lab
