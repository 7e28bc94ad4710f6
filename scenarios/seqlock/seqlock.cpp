// seqlock: a writer updates two values under a sequence counter; a reader retries until it read
// both values between two equal, even counts. The fences decide whether "equal and even" means
// "not torn" (Boehm, "Can seqlocks get along with programming language memory models?", MSPC 2012).
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

/// `writer_fence`: the release fence after the writer makes the count odd.
template <bool writer_fence>
void run() {
  lab::atomic<int> seq{0, "seq"};
  lab::atomic<int> a{0, "a"}, b{0, "b"};  // the data: always equal between updates
  lab::thread writer([&] {
    seq.store(1, std::memory_order_relaxed);  // odd: an update is under way
    if constexpr (writer_fence) lab::atomic_thread_fence(std::memory_order_release);
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

}  // namespace

void add_seqlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"seqlock", "broken", mode, verdict::assertion_failed,
                 "no release fence between making the count odd and writing the data", &run<false>});
  out.push_back({"seqlock", "fixed", mode, verdict::clean, "a release fence after the odd count (Boehm's seqlock)",
                 &run<true>});
}

}  // namespace lab::scenarios
