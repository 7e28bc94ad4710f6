// Asking a strategy for one choice in a test, without a runtime around it.
#pragma once

#include <gtest/gtest.h>

#include "harness/scheduler/strategy.h"

namespace lab::test {

/// The thread `s` picks among `runnable` when `current` reached the point; checks that the rank
/// it returns with the thread is that thread's rank (what the runtime records).
inline thread_id choose(strategy& s, thread_set runnable, std::uint32_t current, bool yielding = false) {
  pick p = s.next_thread({runnable, thread_id{current}, yielding, 0, nullptr});
  EXPECT_EQ(p.rank, rank_of(runnable, p.thread)) << "the rank returned is not the thread's";
  return p.thread;
}

}  // namespace lab::test
