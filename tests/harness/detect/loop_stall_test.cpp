#include "harness/detect/loop_stall.h"

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace loop_stall_test {

using test::collect;
using test::trace_builder;

constexpr std::uint64_t ms = 1'000'000;
constexpr object_id handler = 1, beat = 2, inner = 3;

struct LoopStallDetector : ::testing::Test {
  collect out;
  loop_stall_detector det{out, 100 * ms};
  trace_builder ev;
  void SetUp() override { det.begin_execution(true); }
  void at(std::uint64_t t) { ev.time = t; }
};

TEST_F(LoopStallDetector, LongStepIsReportedWithItsBlockingCallAndItsVictims) {
  det.on_event(ev(0, op::coro_resumed, handler, 0));
  det.on_event(ev(0, op::coro_awaited, inner));
  det.on_event(ev(0, op::sleep, no_object, 300 * ms));  // the blocking call
  at(300 * ms);
  det.on_event(ev(0, op::coro_retrieved, inner));
  det.on_event(ev(0, op::coro_suspended, handler));
  EXPECT_TRUE(out.found.empty()) << "waits to see who suffered";
  det.on_event(ev(0, op::coro_resumed, beat, 50 * ms));  // ready at 50 ms
  det.on_event(ev(0, op::coro_suspended, beat));
  det.on_event(ev(0, op::coro_resumed, beat, 350 * ms));  // ready after the stall: report now
  ASSERT_EQ(out.found.size(), 1u);
  const finding& f = out.found[0];
  EXPECT_EQ(f.kind, verdict::loop_stall);
  EXPECT_NE(f.message.find("300.000 ms"), std::string::npos) << f.message;
  ASSERT_EQ(f.notes.size(), 2u);
  EXPECT_EQ(f.notes[0].step, 3u) << "the sleep is the blocking call";
  EXPECT_NE(f.notes[0].text.find("sleep"), std::string::npos);
  EXPECT_NE(f.notes[1].text.find("250.000 ms late"), std::string::npos) << f.notes[1].text;
}

TEST_F(LoopStallDetector, ShortStepsStayQuiet) {
  for (int i = 0; i < 20; ++i) {
    det.on_event(ev(0, op::coro_resumed, handler, ev.time));
    det.on_event(ev(0, op::work, no_object, 90 * ms));
    at(ev.time + 90 * ms);
    det.on_event(ev(0, op::coro_suspended, handler));
    at(ev.time + 50 * ms);  // the loop idles between steps: not a stall
  }
  det.on_complete();
  EXPECT_TRUE(out.found.empty());
}

TEST_F(LoopStallDetector, TimeWaitedOutsideAStepIsNotAStall) {
  det.on_event(ev(0, op::coro_resumed, handler, 0));
  det.on_event(ev(0, op::coro_suspended, handler));  // awaits a 500 ms sleep: the loop is free
  det.on_event(ev(0, op::cv_wait, 9));
  at(500 * ms);
  det.on_event(ev(0, op::coro_resumed, handler, 500 * ms));
  det.on_event(ev(0, op::coro_suspended, handler));
  det.on_complete();
  EXPECT_TRUE(out.found.empty());
}

TEST_F(LoopStallDetector, ExecutionEndReportsAPendingStall) {
  det.on_event(ev(0, op::coro_resumed, handler, 0));
  det.on_event(ev(0, op::work, no_object, 150 * ms));
  at(150 * ms);
  det.on_event(ev(0, op::coro_suspended, handler));
  det.on_complete();
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].notes.size(), 1u) << "the blocking call, no victims";
}

TEST_F(LoopStallDetector, ZeroThresholdTurnsItOff) {
  loop_stall_detector off{out, 0};
  off.begin_execution(false);
  off.on_event(ev(0, op::coro_resumed, handler, 0));
  at(10'000 * ms);
  off.on_event(ev(0, op::coro_suspended, handler));
  off.on_complete();
  EXPECT_TRUE(out.found.empty());
}

}  // namespace loop_stall_test
}  // namespace lab
