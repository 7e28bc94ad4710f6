#include "harness/sync/thread_pool.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "harness/gtest/model.h"

namespace lab {
namespace thread_pool_test {

TEST(ThreadPool, TasksRunAndReturnTheirValues) {
  model([] {
    lab::thread_pool pool{2};
    auto a = pool.submit([] { return 20; });
    auto b = pool.submit([] { return 22; });
    lab::assert_that(a.get() + b.get() == 42);
  }, {.strategy = "pct", .schedules = 1000});
}

TEST(ThreadPool, ExceptionsReachTheCaller) {
  model([] {
    lab::thread_pool pool{1};
    auto f = pool.submit([]() -> int { throw std::runtime_error("task failed"); });
    bool caught = false;
    try {
      f.get();
    } catch (const std::runtime_error&) {
      caught = true;
    }
    lab::assert_that(caught, "get() rethrows");
  }, {.schedules = 200});
}

TEST(ThreadPool, OneWorkerRunsTasksInSubmissionOrder) {
  model([] {
    std::string order;
    {
      lab::thread_pool pool{1};
      for (char c : std::string("abc")) pool.submit([&order, c] { order += c; return 0; });
    }  // the destructor drains the queue
    lab::assert_that(order == "abc");
  }, {.schedules = 300});
}

TEST(ThreadPool, BlockingOnASubtaskInASaturatedPoolDeadlocks) {
  expect_verdict(verdict::deadlock, [] {
    lab::thread_pool pool{1};
    auto outer = pool.submit([&pool] { return pool.submit([] { return 1; }).get(); });
    (void)outer.get();
  }, {.schedules = 50});
}

TEST(ThreadPool, DetectorsSeeTasksQueuedStartedAndDone) {
  auto r = expect_verdict(verdict::deadlock, [] {
    lab::thread_pool pool{1, "server"};
    auto outer = pool.submit([&pool] { return pool.submit([] { return 1; }).get(); });
    (void)outer.get();
  }, {.schedules = 50});
  ASSERT_EQ(r.findings.size(), 1u);
  const finding& f = r.findings[0];
  EXPECT_TRUE(f.cycle) << "the worker waits for a task queued behind its own";
  ASSERT_EQ(f.waits.size(), 1u);
  EXPECT_EQ(f.waits[0].what, wait_info::on::task);
  ASSERT_LT(f.waits[0].object, r.objects.size());
  EXPECT_EQ(r.objects[f.waits[0].object].kind, object_kind::pool);
  EXPECT_EQ(r.objects[f.waits[0].object].name, "server");
  int queued = 0, started = 0;
  for (const event& e : r.history) {
    queued += e.kind == op::task_queued;
    started += e.kind == op::task_started;
  }
  EXPECT_EQ(queued, 2);
  EXPECT_EQ(started, 1);
}

TEST(ThreadPool, TaskStuckBehindALongOneIsStarvation) {
  auto r = expect_verdict(verdict::starvation, [] {
    lab::thread_pool pool{1};
    auto slow = pool.submit([] { lab::this_thread::work(std::chrono::seconds(1)); return 0; });
    auto quick = pool.submit([] { return 1; });
    lab::assert_that(quick.get() + slow.get() == 1);
  }, {.schedules = 20});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].waits.at(0).what, wait_info::on::task);
  int done = 0;
  for (const event& e : r.history) done += e.kind == op::task_done;
  EXPECT_EQ(done, 2) << "a starvation finding lets the execution run to its end";
}

TEST(Future, ValueSetByAnotherThread) {
  model([] {
    lab::promise<int> p;
    auto f = p.get_future();
    lab::thread t([&] { p.set_value(7); });
    lab::assert_that(f.get() == 7);
    t.join();
  }, {.schedules = 300});
}

TEST(ThreadPool, NativeBackend) {
  lab::thread_pool pool{3};
  std::vector<lab::future<int>> fs;
  for (int i = 0; i < 50; ++i) fs.push_back(pool.submit([i] { return i; }));
  int sum = 0;
  for (auto& f : fs) sum += f.get();
  EXPECT_EQ(sum, 49 * 50 / 2);
}

}  // namespace thread_pool_test
}  // namespace lab
