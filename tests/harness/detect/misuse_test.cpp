#include "harness/detect/misuse.h"

#include <gtest/gtest.h>

#include "tests/support/collect.h"

namespace lab {
namespace misuse_test {

using test::collect;
using test::trace_builder;

struct MisuseDetector : ::testing::Test {
  collect out;
  misuse_detector det{out};
  trace_builder ev;
  void SetUp() override { det.begin_execution(true); }
};

TEST_F(MisuseDetector, UnlockByNonOwner) {
  det.on_event(ev(1, op::lock_acquired, 0));
  det.on_event(ev(2, op::unlock, 0));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::mutex_misuse);
  EXPECT_EQ(out.found[0].thread, 2u);
  ASSERT_EQ(out.found[0].notes.size(), 1u);
  EXPECT_EQ(out.found[0].notes[0].thread, 1u);
}

TEST_F(MisuseDetector, UnlockOfFreeMutex) {
  det.on_event(ev(1, op::unlock, 0));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_NE(out.found[0].message.find("nobody holds"), std::string::npos);
}

TEST_F(MisuseDetector, DestroyWhileLocked) {
  det.on_event(ev(1, op::lock_acquired, 0));
  det.on_event(ev(0, op::mutex_destroyed, 0));
  ASSERT_EQ(out.found.size(), 1u);
  EXPECT_EQ(out.found[0].kind, verdict::mutex_misuse);
}

TEST_F(MisuseDetector, CorrectUseIsQuiet) {
  det.on_event(ev(1, op::lock_acquired, 0));
  det.on_event(ev(1, op::lock_acquired, 0));  // recursive
  det.on_event(ev(1, op::unlock, 0));
  det.on_event(ev(1, op::unlock, 0));
  det.on_event(ev(2, op::lock_acquired, 0));
  det.on_event(ev(2, op::unlock, 0));
  det.on_event(ev(0, op::mutex_destroyed, 0));
  EXPECT_TRUE(out.found.empty());
}

}  // namespace misuse_test
}  // namespace lab
