#include "harness/loop/event_loop.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "harness/gtest/model.h"

namespace lab {
namespace event_loop_test {

using namespace std::chrono_literals;

task<int> add_later(int a, int b) {
  co_await lab::sleep(5ms);
  co_return a + b;
}

task<std::string> trace_ticks(std::string& log, char name, int n, std::chrono::milliseconds every) {
  for (int i = 0; i < n; ++i) {
    co_await lab::sleep(every);
    log += name;
  }
  co_return log;
}

TEST(EventLoop, RunReturnsTheResultOfMain) {
  lab::model([] {
    lab::event_loop loop;
    int v = loop.run(add_later(2, 3));
    lab::assert_that(v == 5, "2 + 3");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(5ms), "the sleep took 5 ms of virtual time");
  }, {.schedules = 20});
}

TEST(EventLoop, SleepingTasksInterleaveInVirtualTime) {
  lab::model([] {
    lab::event_loop loop;
    std::string log;
    loop.run([](std::string& l) -> task<int> {
      auto* here = co_await lab::this_loop();
      auto a = here->spawn(trace_ticks(l, 'a', 3, 10ms));  // at 10, 20, 30 ms
      auto b = here->spawn(trace_ticks(l, 'b', 2, 15ms));  // at 15, 30 ms
      co_await a;
      co_await b;
      co_return 0;
    }(log));
    // a at 30 and b at 30 are due together: either order.
    lab::assert_that(log == "abaab" || log == "ababa", "ticks in virtual-time order");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(30ms), "both done at 30 ms");
  }, {.schedules = 50});
}

// Which ready task resumes first is a strategy choice: both orders of two ready tasks occur.
TEST(EventLoop, ReadyOrderIsExplored) {
  bool saw_ab = false, saw_ba = false;
  auto r = explore("order", [&] {
    lab::event_loop loop;
    std::string log;
    loop.run([](std::string& l) -> task<int> {
      auto* here = co_await lab::this_loop();
      auto a = here->spawn([](std::string& s) -> task<int> { s += 'a'; co_return 0; }(l));
      auto b = here->spawn([](std::string& s) -> task<int> { s += 'b'; co_return 0; }(l));
      co_await a;
      co_await b;
      co_return 0;
    }(log));
    saw_ab |= log == "ab";
    saw_ba |= log == "ba";
  }, {.schedules = 100});
  EXPECT_EQ(r.result, verdict::clean);
  EXPECT_TRUE(saw_ab);
  EXPECT_TRUE(saw_ba);
}

// live_loop_queues, read from inside a task: the reader runs, a sibling sleeps, main awaits.
TEST(EventLoop, LiveLoopQueuesShowWhoIsReadySleepingAndWaiting) {
  std::vector<loop_queue_view> seen;
  std::size_t outside = 1;
  auto r = explore("queues", [&] {
    lab::event_loop loop{"svc"};
    loop.run([](std::vector<loop_queue_view>& out) -> task<int> {
      auto* here = co_await lab::this_loop();
      auto sleeper = here->spawn(add_later(1, 2));
      co_await lab::sleep(1ms);  // the sleeper is on its timer by now, till 5 ms
      auto reader = here->spawn([](std::vector<loop_queue_view>& o) -> task<int> {
        o = live_loop_queues();
        co_return 0;
      }(out));
      co_await reader;
      co_await sleeper;
      co_return 0;
    }(seen));
  }, {.schedules = 1});
  outside = live_loop_queues().size();
  ASSERT_EQ(r.result, verdict::clean);
  EXPECT_EQ(outside, 0u) << "no loop outlives its execution";
  ASSERT_EQ(seen.size(), 1u);
  const loop_queue_view& q = seen[0];
  EXPECT_EQ(q.name, "svc");
  EXPECT_NE(q.loop, no_object);
  EXPECT_TRUE(q.ready.empty()) << "the reader is running, nobody else is ready";
  ASSERT_EQ(q.sleeping.size(), 1u);
  EXPECT_EQ(q.sleeping[0].second, 5'000'000u) << "the sleeper's deadline, 5 ms";
  ASSERT_EQ(q.awaiting.size(), 1u);  // main awaits the reader
  EXPECT_NE(q.awaiting[0].first, q.awaiting[0].second);
  EXPECT_EQ(q.callbacks, 0u);
  EXPECT_EQ(q.executor_jobs, 0);
}

TEST(EventLoop, ExceptionsReachTheAwaiter) {
  lab::model([] {
    lab::event_loop loop;
    bool caught = false;
    loop.run([](bool& c) -> task<int> {
      auto* here = co_await lab::this_loop();
      auto h = here->spawn([]() -> task<int> {
        co_await lab::sleep(1ms);
        throw std::runtime_error("boom");
      }());
      try {
        co_await h;
      } catch (const std::runtime_error&) {
        c = true;
      }
      co_return 0;
    }(caught));
    lab::assert_that(caught, "the awaiter saw the exception");
  }, {.schedules = 20});
}

TEST(EventLoop, ExecutorRunsBlockingWorkWhileTheLoopServesOthers) {
  lab::model([] {
    lab::event_loop loop;
    std::string log;
    int v = loop.run([](std::string& l) -> task<int> {
      auto* here = co_await lab::this_loop();
      auto ticker = here->spawn(trace_ticks(l, 't', 5, 10ms));
      int got = co_await here->run_in_executor([] {
        lab::this_thread::work(35ms);  // CPU-bound, on a worker thread
        return 7;
      });
      co_await ticker;
      co_return got;
    }(log));
    lab::assert_that(v == 7, "the executor's result");
    lab::assert_that(log == "ttttt", "the ticker ran while the executor worked");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(50ms), "ticks at 10..50 ms, not delayed");
  }, {.schedules = 50});
}

TEST(EventLoop, GatherReturnsEveryResult) {
  lab::model([] {
    lab::event_loop loop;
    auto [a, b] = loop.run([]() -> task<std::tuple<int, int>> {
      auto* here = co_await lab::this_loop();
      co_return co_await lab::gather(here->spawn(add_later(1, 1)), here->spawn(add_later(2, 2)));
    }());
    lab::assert_that(a == 2 && b == 4, "both results");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(5ms), "concurrently: 5 ms, not 10");
  }, {.schedules = 20});
}

TEST(EventLoop, GatherOutcomesRetrievesEveryException) {
  lab::model([] {
    lab::event_loop loop;
    int failed = loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      auto bad = [](int ms) -> task<int> {
        co_await lab::sleep(std::chrono::milliseconds(ms));
        throw std::runtime_error("down");
      };
      auto [a, b, c] = co_await lab::gather_outcomes(here->spawn(add_later(1, 2)), here->spawn(bad(1)),
                                                     here->spawn(bad(2)));
      lab::assert_that(a.ok() && *a.value == 3, "the good one's value");
      co_return (b.ok() ? 0 : 1) + (c.ok() ? 0 : 1);
    }());
    lab::assert_that(failed == 2, "both exceptions returned, none lost");
  }, {.schedules = 30});
}

TEST(EventLoop, CancelWakesASleepingTaskWithCancelledError) {
  lab::model([] {
    lab::event_loop loop;
    bool saw_cancel = false;
    loop.run([](bool& saw) -> task<int> {
      auto* here = co_await lab::this_loop();
      auto sleeper = here->spawn([]() -> task<int> {
        co_await lab::sleep(1s);
        co_return 1;
      }());
      co_await lab::sleep(10ms);
      lab::assert_that(sleeper.cancel(), "it was still running");
      try {
        co_await sleeper;
      } catch (const cancelled_error&) {
        saw = true;
      }
      co_return 0;
    }(saw_cancel));
    lab::assert_that(saw_cancel, "awaiting a cancelled task throws cancelled_error");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(10ms), "the 1 s sleep was cut short");
  }, {.schedules = 30});
}

TEST(EventLoop, CancelledTaskLeftUnawaitedIsNotALostException) {
  lab::model([] {
    lab::event_loop loop;
    loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      auto sleeper = here->spawn([]() -> task<int> {
        co_await lab::sleep(1s);
        co_return 1;
      }());
      co_await lab::sleep(1ms);
      sleeper.cancel();
      co_await lab::sleep(1ms);  // it ends, cancelled; nobody awaits it
      co_return 0;
    }());
  }, {.schedules = 30});
}

TEST(EventLoop, TaskGroupCancelsTheSiblingsOfAFailedChild) {
  lab::model([] {
    lab::event_loop loop;
    std::string caught;
    loop.run([](std::string& what) -> task<int> {
      auto* here = co_await lab::this_loop();
      task_group g(*here);
      g.spawn([]() -> task<int> {
        co_await lab::sleep(10ms);
        throw std::runtime_error("backend down");
      }());
      auto slow = g.spawn([]() -> task<int> {
        co_await lab::sleep(1s);
        co_return 2;
      }());
      try {
        co_await g.join();
      } catch (const std::runtime_error& e) {
        what = e.what();
      }
      lab::assert_that(slow.done(), "no child outlives the group");
      co_return 0;
    }(caught));
    lab::assert_that(caught == "backend down", "join rethrows the first failure");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(10ms), "the slow sibling was cancelled at once");
  }, {.schedules = 50});
}

TEST(EventLoop, TaskCancelledBeforeItsFirstStepNeverRuns) {
  lab::model([] {
    lab::event_loop loop;
    bool ran = false;
    loop.run([](bool& r) -> task<int> {
      auto* here = co_await lab::this_loop();
      auto t = here->spawn([](bool& rr) -> task<int> {
        rr = true;
        co_return 1;
      }(r));
      t.cancel();  // before the loop ever resumed it
      bool cancelled = false;
      try {
        co_await t;
      } catch (const cancelled_error&) {
        cancelled = true;
      }
      lab::assert_that(cancelled, "awaiting it throws cancelled_error");
      co_return 0;
    }(ran));
    lab::assert_that(!ran, "its body never ran");
  }, {.schedules = 20});
}

// asyncio.run's ending: a task still pending when main returns is cancelled (its cleanup runs)
// and reported as an orphan; awaited, the same task is clean.
TEST(EventLoop, TasksPendingWhenMainEndsAreCancelledAndReported) {
  for (bool await_it : {false, true}) {
    bool cleaned_up = false, finished = false;
    auto r = explore("orphans", [&] {
      cleaned_up = finished = false;
      lab::event_loop loop;
      loop.run([](bool wait, bool& cleaned, bool& done) -> task<int> {
        auto* here = co_await lab::this_loop();
        auto audit = here->spawn([](bool& c, bool& d) -> task<int> {
          try {
            co_await lab::sleep(50ms);
          } catch (const cancelled_error&) {
            c = true;
            throw;
          }
          d = true;
          co_return 0;
        }(cleaned, done));
        co_await lab::sleep(1ms);
        if (wait) co_await audit;
        co_return 0;
      }(await_it, cleaned_up, finished));
    }, {.schedules = 5});
    if (await_it) {
      EXPECT_EQ(r.result, verdict::clean);
      EXPECT_TRUE(finished);
    } else {
      EXPECT_EQ(r.result, verdict::task_orphaned);
      EXPECT_TRUE(cleaned_up) << "the orphan was cancelled and its cleanup ran";
      EXPECT_FALSE(finished);
    }
  }
}

// The README's example, verbatim.
task<int> fetch(int id) {
  co_await lab::sleep(20ms);
  co_return id;
}

task<int> handler() {
  auto* loop = co_await lab::this_loop();
  auto a = loop->spawn(fetch(1));
  auto b = loop->spawn(fetch(2));
  auto [x, y] = co_await lab::gather(a, b);
  int z = co_await loop->run_in_executor([] {
    lab::this_thread::work(50ms);
    return 3;
  });
  co_return x + y + z + co_await fetch(4);
}

TEST(EventLoop, ReadmeExample) {
  lab::model([] { lab::event_loop loop; lab::assert_that(loop.run(handler()) == 10); });
}

TEST(EventLoop, NativeBackend) {
  lab::event_loop loop;
  std::string log;
  int v = loop.run([](std::string& l) -> task<int> {
    auto* here = co_await lab::this_loop();
    auto a = here->spawn(trace_ticks(l, 'a', 2, 2ms));
    int x = co_await here->run_in_executor([] { return 40; });
    co_await a;
    co_return x + co_await add_later(1, 1);
  }(log));
  EXPECT_EQ(v, 42);
  EXPECT_EQ(log, "aa");
}

}  // namespace event_loop_test
}  // namespace lab
