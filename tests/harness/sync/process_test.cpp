#include "harness/sync/process.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "harness/gtest/model.h"
#include "harness/lab.h"

namespace lab {
namespace process_test {

TEST(Process, ChildLockingAMutexAnotherThreadHeldAtTheForkHangs) {
  auto r = expect_verdict(verdict::deadlock, [] {
    lab::mutex m{"m"};
    lab::atomic<int> holding{0};
    lab::thread holder([&] {
      lab::lock_guard hold(m);
      holding.store(1);
      while (holding.load() != 2) lab::this_thread::yield();
    });
    while (holding.load() != 1) lab::this_thread::yield();
    lab::process child = lab::fork([&] { lab::lock_guard hold(m); });
    holding.store(2);
    child.wait();
    holder.join();
  }, {.schedules = 20});
  ASSERT_EQ(r.findings.size(), 1u);
  const finding& f = r.findings[0];
  EXPECT_NE(f.message.find("fork copies only the calling thread"), std::string::npos) << f.message;
  ASSERT_EQ(f.waits.size(), 1u);
  EXPECT_EQ(f.waits[0].holder, 1u);
  EXPECT_EQ(f.waits[0].thread, 2u);
  ASSERT_EQ(f.notes.size(), 2u);
  EXPECT_EQ(f.notes[0].thread, 1u) << "where the holder took the lock";
  EXPECT_EQ(f.notes[1].thread, 0u) << "the fork that lost the lock";
}

TEST(Process, ForkerHoldingTheMutexOwnsTheChildsCopy) {
  model([] {
    lab::mutex m{"m"};
    m.lock();
    lab::process child = lab::fork([&] { m.unlock(); m.lock(); m.unlock(); });
    m.unlock();
    child.wait();
  }, {.schedules = 200});
}

TEST(Process, TheChildsCopyIsNotTheParentsMutex) {
  model([] {
    lab::mutex m{"m"};
    lab::atomic<int> child_holds{0};
    lab::process child = lab::fork([&] {
      lab::lock_guard hold(m);
      child_holds.store(1);
      while (child_holds.load() != 2) lab::this_thread::yield();
    });
    while (child_holds.load() != 1) lab::this_thread::yield();
    { lab::lock_guard hold(m); }  // the parent's mutex is free, whatever the child's copy does
    child_holds.store(2);
    child.wait();
  }, {.schedules = 200});
}

TEST(Process, AForkIsASchedulingPoint) {
  // A spawn is not one (it commutes with everything); a fork copies the lock states other
  // threads leave behind, so the strategy must be able to run them just before it.
  auto r = expect_verdict(verdict::deadlock, [] {
    lab::mutex m{"m"};
    lab::thread other([&] { lab::lock_guard hold(m); lab::this_thread::yield(); });
    lab::process child = lab::fork([&] { lab::lock_guard hold(m); });
    child.wait();
    other.join();
  }, {.schedules = 500});
  EXPECT_EQ(r.findings[0].waits[0].holder, 1u);
}

TEST(Process, WaitPublishesTheChildsEnd) {
  model([] {
    lab::process child = lab::fork([] {});
    EXPECT_EQ(child.wait(), 0);
  }, {.schedules = 20});
}

TEST(Process, NativeForkReturnsTheChildsExitStatus) {
  lab::process ok = lab::fork([] {});
  EXPECT_EQ(ok.wait(), 0);
  lab::process threw = lab::fork([] { throw std::runtime_error("child failed"); });
  EXPECT_EQ(threw.wait(), 1);
}

TEST(Process, NativeWaitTwiceThrows) {
  lab::process child = lab::fork([] {});
  child.wait();
  EXPECT_THROW(child.wait(), std::system_error);
}

}  // namespace process_test
}  // namespace lab
