#include "harness/loop/async_sync.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/gtest/model.h"
#include "reports/text.h"

namespace lab {
namespace async_sync_test {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

// Whatever order the tasks arrive in (explored), the lock is handed over in that order.
TEST(AsyncMutex, HandsTheLockOverInArrivalOrder) {
  lab::model([] {
    lab::event_loop loop;
    std::vector<int> arrived, served;
    loop.run([](std::vector<int>& a, std::vector<int>& s) -> task<int> {
      auto* here = co_await lab::this_loop();
      async_mutex m;
      auto user = [](async_mutex& mu, std::vector<int>& a2, std::vector<int>& s2, int id) -> task<int> {
        a2.push_back(id);
        co_await mu.lock();
        s2.push_back(id);
        co_await lab::sleep(1ms);
        mu.unlock();
        co_return id;
      };
      co_await lab::gather(here->spawn(user(m, a, s, 1)), here->spawn(user(m, a, s, 2)),
                           here->spawn(user(m, a, s, 3)));
      lab::assert_that(!m.locked(), "free at the end");
      co_return 0;
    }(arrived, served));
    lab::assert_that(arrived == served, "FIFO hand-over");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(3ms), "one at a time");
  }, {.schedules = 60});
}

TEST(AsyncMutex, CancelledWhileParkedLeavesTheQueueAtOnce) {
  lab::model([] {
    lab::event_loop loop;
    loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      async_mutex m;
      co_await m.lock();
      auto parked = here->spawn([](async_mutex& mu) -> task<int> {
        co_await mu.lock();
        mu.unlock();
        co_return 1;
      }(m));
      co_await lab::sleep(1ms);  // it parks
      lab::assert_that(parked.cancel(), "still parked");
      bool cancelled = false;
      try {
        co_await parked;
      } catch (const cancelled_error&) {
        cancelled = true;
      }
      lab::assert_that(cancelled, "the parked task got cancelled_error");
      lab::assert_that(lab::now() == std::chrono::nanoseconds(1ms), "without waiting for the lock");
      m.unlock();
      lab::assert_that(!m.locked(), "nobody is left to hand it to");
      co_return 0;
    }());
  }, {.schedules = 30});
}

// The lock was handed to b, then b was cancelled before it resumed: b passes it on to c.
TEST(AsyncMutex, CancelledAfterTheHandOverPassesTheLockOn) {
  lab::model([] {
    lab::event_loop loop;
    bool c_got_it = loop.run([]() -> task<bool> {
      auto* here = co_await lab::this_loop();
      async_mutex m;
      co_await m.lock();
      auto taker = [](async_mutex& mu) -> task<bool> {
        co_await mu.lock();
        mu.unlock();
        co_return true;
      };
      auto b = here->spawn(taker(m));
      co_await lab::sleep(1ms);
      auto c = here->spawn(taker(m));
      co_await lab::sleep(1ms);  // b, then c, parked
      m.unlock();                // handed to b ...
      b.cancel();                // ... which is cancelled before it resumes
      bool got = co_await c;
      bool b_cancelled = false;
      try {
        co_await b;
      } catch (const cancelled_error&) {
        b_cancelled = true;
      }
      lab::assert_that(b_cancelled, "b was cancelled");
      lab::assert_that(!m.locked(), "the lock was not lost");
      co_return got;
    }());
    lab::assert_that(c_got_it, "c got the lock b gave back");
  }, {.schedules = 30});
}

TEST(AsyncMutex, UnlockWithoutLockThrows) {
  async_mutex m;
  EXPECT_THROW(m.unlock(), std::logic_error);
}

TEST(AsyncSemaphore, LimitsHowManyRunAtOnce) {
  lab::model([] {
    lab::event_loop loop;
    int most = loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      async_semaphore s(2);
      int inside = 0, peak = 0;
      auto job = [](async_semaphore& sem, int& in, int& pk) -> task<int> {
        co_await sem.acquire();
        pk = std::max(pk, ++in);
        co_await lab::sleep(10ms);
        --in;
        sem.release();
        co_return 0;
      };
      co_await lab::gather(here->spawn(job(s, inside, peak)), here->spawn(job(s, inside, peak)),
                           here->spawn(job(s, inside, peak)), here->spawn(job(s, inside, peak)),
                           here->spawn(job(s, inside, peak)));
      lab::assert_that(s.available() == 2, "every permit returned");
      co_return peak;
    }());
    lab::assert_that(most == 2, "never more than two inside");
    lab::assert_that(lab::now() == std::chrono::nanoseconds(30ms), "five jobs of 10 ms, two at a time");
  }, {.schedules = 40});
}

TEST(AsyncSemaphore, CancelledWaiterDoesNotTakeAPermit) {
  lab::model([] {
    lab::event_loop loop;
    loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      async_semaphore s(1);
      co_await s.acquire();
      auto w = here->spawn([](async_semaphore& sem) -> task<int> {
        co_await sem.acquire();
        co_return 1;
      }(s));
      co_await lab::sleep(1ms);
      w.cancel();
      co_await lab::sleep(1ms);
      s.release();
      lab::assert_that(s.available() == 1, "the permit came back, not to the cancelled task");
      co_return 0;
    }());
  }, {.schedules = 30});
}

TEST(AsyncEvent, SetWakesEveryWaiter) {
  lab::model([] {
    lab::event_loop loop;
    int woken = loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      async_event ready;
      int n = 0;
      auto waiter = [](async_event& e, int& count) -> task<int> {
        co_await e.wait();
        ++count;
        co_return 0;
      };
      auto a = here->spawn(waiter(ready, n));
      auto b = here->spawn(waiter(ready, n));
      co_await lab::sleep(5ms);
      lab::assert_that(n == 0 && !ready.is_set(), "nobody passes before set()");
      ready.set();
      co_await lab::gather(a, b);
      co_await ready.wait();  // set: does not suspend
      co_return n;
    }());
    lab::assert_that(woken == 2, "both waiters woke");
  }, {.schedules = 30});
}

TEST(AsyncEvent, CancelledWaiterWakesAtOnce) {
  lab::model([] {
    lab::event_loop loop;
    loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      async_event never;
      auto w = here->spawn([](async_event& e) -> task<int> {
        co_await e.wait();
        co_return 1;
      }(never));
      co_await lab::sleep(2ms);
      w.cancel();
      bool cancelled = false;
      try {
        co_await w;
      } catch (const cancelled_error&) {
        cancelled = true;
      }
      lab::assert_that(cancelled, "cancelled_error, not a hang");
      co_return 0;
    }());
  }, {.schedules = 30});
}

// A bounded queue between a fast producer and a slow consumer: the producer is held back by
// maxsize, every item arrives once and in order, and join() returns when all were processed.
TEST(AsyncQueue, BoundedProducerConsumerKeepsOrderAndBackpressure) {
  lab::model([] {
    lab::event_loop loop;
    std::vector<int> got;
    loop.run([](std::vector<int>& out) -> task<int> {
      auto* here = co_await lab::this_loop();
      async_queue<int> q(2);
      auto consumer = here->spawn([](async_queue<int>& qu, std::vector<int>& o) -> task<int> {
        for (int i = 0; i < 6; ++i) {
          o.push_back(co_await qu.get());
          co_await lab::sleep(10ms);
          qu.task_done();
        }
        co_return 0;
      }(q, out));
      for (int i = 0; i < 6; ++i) {
        co_await q.put(i);
        lab::assert_that(q.size() <= 2, "never more than maxsize queued");
      }
      co_await q.join();
      lab::assert_that(lab::now() == std::chrono::nanoseconds(60ms), "join waited for the last task_done");
      co_await consumer;
      co_return 0;
    }(got));
    lab::assert_that(got == std::vector<int>{0, 1, 2, 3, 4, 5}, "every item once, in order");
  }, {.schedules = 40});
}

TEST(AsyncQueue, CancelledGetterGivesItsItemBack) {
  lab::model([] {
    lab::event_loop loop;
    int first = loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      async_queue<int> q;
      auto getter = [](async_queue<int>& qu) -> task<int> { co_return co_await qu.get(); };
      auto a = here->spawn(getter(q));
      co_await lab::sleep(1ms);  // a parks
      q.put_nowait(42);          // handed to a ...
      a.cancel();                // ... cancelled before it resumed
      co_await lab::sleep(1ms);
      lab::assert_that(q.size() == 1, "the item is back in the queue");
      co_return q.get_nowait();
    }());
    lab::assert_that(first == 42, "not lost");
  }, {.schedules = 30});
}

TEST(AsyncQueue, NowaitVariantsThrowWhenTheyCannot) {
  async_queue<int> q(1);
  EXPECT_THROW(q.get_nowait(), queue_empty);
  q.put_nowait(1);
  EXPECT_TRUE(q.full());
  EXPECT_THROW(q.put_nowait(2), queue_full);
  EXPECT_EQ(q.get_nowait(), 1);
  q.task_done();                                  // the one item put is processed
  EXPECT_THROW(q.task_done(), std::logic_error);  // more task_done than puts
}

// A task awaiting an executor job is cancelled: it wakes at once, the job runs to its end and
// its result is dropped.
TEST(EventLoopExecutor, CancelledAwaiterWakesWithoutWaitingForTheJob) {
  lab::model([] {
    lab::event_loop loop;
    loop.run([]() -> task<int> {
      auto* here = co_await lab::this_loop();
      auto w = here->spawn([](event_loop* l) -> task<int> {
        co_return co_await l->run_in_executor([] {
          lab::this_thread::work(100ms);
          return 1;
        });
      }(here));
      co_await lab::sleep(10ms);
      w.cancel();
      bool cancelled = false;
      try {
        co_await w;
      } catch (const cancelled_error&) {
        cancelled = true;
      }
      lab::assert_that(cancelled, "cancelled_error");
      lab::assert_that(lab::now() == std::chrono::nanoseconds(10ms), "at once, not after the 100 ms job");
      co_return 0;
    }());
  }, {.schedules = 30});
}

// ---- Deadlocks among tasks: the report names the tasks, what each awaits, who holds it, and
// the user's lines; the loop's own wait for work never appears in it.

const char* const this_file = std::source_location::current().file_name();

/// Two tasks each take two async locks, in the same order or in opposite orders (the asyncio
/// twin of lock_order_inversion); each sleeps between its two locks, so both hold their first.
run_report two_locks(bool opposite) {
  return lab::explore("async_two_locks", [opposite] {
    lab::event_loop loop;
    loop.run([](bool opp) -> task<int> {
      auto* here = co_await lab::this_loop();
      async_mutex a("a"), b("b");
      auto user = [](async_mutex& first, async_mutex& second) -> task<int> {
        co_await first.lock();
        co_await lab::sleep(1ms);
        co_await second.lock();  // the line the report must name
        second.unlock();
        first.unlock();
        co_return 0;
      };
      auto k1 = here->spawn(user(a, b));
      auto k2 = opp ? here->spawn(user(b, a)) : here->spawn(user(a, b));
      co_await k1;
      co_await k2;
      co_return 0;
    }(opposite));
  }, {.strategy = "dpor", .schedules = 1000});
}

TEST(AsyncDeadlock, OppositeLockOrdersAreACycleOfTasksNamingLocksAndHolders) {
  run_report r = two_locks(true);
  ASSERT_EQ(r.result, verdict::deadlock) << reports::render_text(r);
  const finding& f = r.findings.front();
  EXPECT_TRUE(f.cycle);
  ASSERT_EQ(f.waits.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const wait_info& w = f.waits[i];
    EXPECT_EQ(w.what, wait_info::on::coroutine);
    ASSERT_NE(w.via, no_object);
    EXPECT_EQ(r.objects[w.via].kind, object_kind::async_mutex);
    EXPECT_EQ(w.holder_task, f.waits[1 - i].object) << "each waits for the other task";
    EXPECT_STREQ(w.loc.file_name(), this_file);
    EXPECT_STREQ(w.held_at.file_name(), this_file);
  }
  EXPECT_NE(f.waits[0].via, f.waits[1].via);
  EXPECT_STREQ(f.loc.file_name(), this_file);
  std::string text = reports::render_text(r);
  EXPECT_NE(text.find("Cycle of tasks waiting for each other's async locks"), std::string::npos) << text;
  EXPECT_NE(text.find("'a', held by K"), std::string::npos) << text;
  EXPECT_NE(text.find("'b', held by K"), std::string::npos) << text;
  // The finding (what comes before the interleaving) never names the loop's internals.
  const std::string body = text.substr(0, text.find("Interleaving of execution"));
  EXPECT_EQ(body.find("inbox"), std::string::npos) << "the loop's internals are not the finding:\n" << text;
  EXPECT_EQ(body.find("loop.cpp"), std::string::npos) << text;
  EXPECT_NE(text.find("await (blocked) K"), std::string::npos) << text;
  EXPECT_NE(text.find("on M1 'a'"), std::string::npos) << "the interleaving names what each task awaits:\n" << text;
  EXPECT_NE(text.find("acquire (task) M1 'a' by K"), std::string::npos) << text;
}

TEST(AsyncDeadlock, TheSameLockOrderVerifies) {
  run_report r = two_locks(false);
  EXPECT_EQ(r.result, verdict::clean) << reports::render_text(r);
  EXPECT_TRUE(r.stats.exhaustive) << r.note;
}

/// A consumer awaits a queue until a sentinel (-1) arrives; the producer forgets it or not.
run_report consumer(bool sentinel) {
  return lab::explore("async_queue_sentinel", [sentinel] {
    lab::event_loop loop;
    loop.run([](bool send_end) -> task<int> {
      auto* here = co_await lab::this_loop();
      async_queue<int> q(0, "jobs");
      auto worker = here->spawn([](async_queue<int>& qu) -> task<int> {
        int sum = 0;
        for (int v = co_await qu.get(); v != -1; v = co_await qu.get()) sum += v;
        co_return sum;
      }(q));
      co_await q.put(1);
      co_await q.put(2);
      if (send_end) co_await q.put(-1);
      co_return co_await worker;
    }(sentinel));
  }, {.strategy = "dpor", .schedules = 1000});
}

TEST(AsyncDeadlock, AConsumerThatNeverGetsItsSentinelNamesTheQueueAndItsLine) {
  run_report r = consumer(false);
  ASSERT_EQ(r.result, verdict::deadlock) << reports::render_text(r);
  const finding& f = r.findings.front();
  EXPECT_FALSE(f.cycle);
  ASSERT_GE(f.waits.size(), 2U) << "the parked consumer, and the main task awaiting it";
  const wait_info& w = f.waits.front();
  EXPECT_EQ(w.what, wait_info::on::coroutine);
  ASSERT_NE(w.via, no_object);
  EXPECT_EQ(r.objects[w.via].kind, object_kind::async_queue);
  EXPECT_EQ(w.holder_task, no_object);
  EXPECT_STREQ(w.loc.file_name(), this_file);
  EXPECT_EQ(f.waits[1].holder_task, w.object) << "the main task awaits the consumer";
  std::string text = reports::render_text(r);
  EXPECT_NE(text.find("awaits Q1 'jobs'; nothing left to run will wake it"), std::string::npos) << text;
  EXPECT_EQ(text.substr(0, text.find("Interleaving of execution")).find("inbox"), std::string::npos) << text;
  // The SUMMARY line points at the user's await, not into the lab.
  auto summary = text.find("SUMMARY:");
  ASSERT_NE(summary, std::string::npos) << text;
  EXPECT_NE(text.find(this_file, summary), std::string::npos) << text;
}

TEST(AsyncDeadlock, TheConsumerWithItsSentinelVerifies) {
  run_report r = consumer(true);
  EXPECT_EQ(r.result, verdict::clean) << reports::render_text(r);
  EXPECT_TRUE(r.stats.exhaustive) << r.note;
}

/// Two tasks share one permit; the first keeps it on one path (an early return) or not.
run_report permit(bool leak) {
  return lab::explore("async_semaphore_leak", [leak] {
    lab::event_loop loop;
    loop.run([](bool lose) -> task<int> {
      auto* here = co_await lab::this_loop();
      async_semaphore s(1, "slots");
      auto user = [](async_semaphore& sem, bool keep) -> task<int> {
        co_await sem.acquire();
        co_await lab::sleep(1ms);
        if (keep) co_return 1;  // the early return that forgets release()
        sem.release();
        co_return 0;
      };
      auto k1 = here->spawn(user(s, lose));
      auto k2 = here->spawn(user(s, lose));
      co_await k1;
      co_await k2;
      co_return 0;
    }(leak));
  }, {.strategy = "dpor", .schedules = 1000});
}

TEST(AsyncDeadlock, APermitNeverReleasedNamesTheSemaphore) {
  run_report r = permit(true);
  ASSERT_EQ(r.result, verdict::deadlock) << reports::render_text(r);
  const wait_info& w = r.findings.front().waits.front();
  ASSERT_NE(w.via, no_object);
  EXPECT_EQ(r.objects[w.via].kind, object_kind::async_semaphore);
  EXPECT_STREQ(w.loc.file_name(), this_file);
  EXPECT_NE(reports::render_text(r).find("'slots'; nothing left to run will wake it"), std::string::npos)
      << reports::render_text(r);
}

TEST(AsyncDeadlock, APermitAlwaysReleasedVerifies) {
  run_report r = permit(false);
  EXPECT_EQ(r.result, verdict::clean) << reports::render_text(r);
  EXPECT_TRUE(r.stats.exhaustive) << r.note;
}

TEST(AsyncQueue, NativeBackend) {
  lab::event_loop loop;
  int sum = loop.run([]() -> task<int> {
    auto* here = co_await lab::this_loop();
    async_queue<int> q(1);
    async_event done;
    auto consumer = here->spawn([](async_queue<int>& qu, async_event& d) -> task<int> {
      int s = 0;
      for (int i = 0; i < 5; ++i) s += co_await qu.get();
      d.set();
      co_return s;
    }(q, done));
    for (int i = 1; i <= 5; ++i) co_await q.put(i);
    co_await done.wait();
    co_return co_await consumer;
  }());
  EXPECT_EQ(sum, 15);
}

}  // namespace async_sync_test
}  // namespace lab
