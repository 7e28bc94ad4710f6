// seqlock, fixed: a release fence after the writer makes the count odd (Boehm, "Can seqlocks get
// along with programming language memory models?", MSPC 2012). A reader that reads a data store
// made after the fence, and then the count through its acquire fence, sees the odd count or a
// later one: s1 == s2 then means no update overlapped the reads.
#include "harness/exercise.h"

LAB_EXERCISE(seqlock) {
  lab::atomic<int> seq{0, "seq"};
  lab::atomic<int> a{0, "a"}, b{0, "b"};  // the data: always equal between updates
  lab::thread writer([&] {
    seq.store(1, std::memory_order_relaxed);  // odd: an update is under way
    lab::atomic_thread_fence(std::memory_order_release);
    a.store(1, std::memory_order_relaxed);
    b.store(1, std::memory_order_relaxed);
    seq.store(2, std::memory_order_release);  // even again: the update is done
  });
  lab::thread reader([&] {
    for (int attempt = 0; attempt < 3; ++attempt) {  // a bounded retry keeps the space finite
      const int s1 = seq.load(std::memory_order_acquire);
      const int ra = a.load(std::memory_order_relaxed);
      const int rb = b.load(std::memory_order_relaxed);
      lab::atomic_thread_fence(std::memory_order_acquire);
      const int s2 = seq.load(std::memory_order_relaxed);
      if (s1 == s2 && s1 % 2 == 0) {
        lab::assert_that(ra == rb, "a read between two equal, even counts is not torn");
        return;
      }
    }
  });
  writer.join();
  reader.join();
}
