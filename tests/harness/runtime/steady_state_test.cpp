// An execution allocates nothing in steady state: stacks, thread records, every detector's
// tables and the schedule buffer are all reused. Counted with a replaced global operator new, which is why
// this test is an executable of its own.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "harness/explore/detector_set.h"
#include "harness/lab.h"
#include "harness/runtime/execution.h"
#include "harness/runtime/sanitizer_build.h"
#include "harness/scheduler/random.h"

namespace {
std::atomic<long> allocations{0};
}

// Sanitizer runtimes replace operator new themselves: clang links its runtime statically, so a
// second definition here would not link, and under g++ ours would bypass the sanitizer's
// allocator. A sanitized build counts through the sanitizer's public allocation hook instead
// (sanitizer/allocator_interface.h; declared here because g++ does not ship that header). The
// hook sees every malloc as well as every operator new, so it is the stricter count.
#if CONLAB_TSAN || CONLAB_ASAN
#define CONLAB_COUNT_WITH_SANITIZER_HOOK 1
#endif

#ifdef CONLAB_COUNT_WITH_SANITIZER_HOOK
extern "C" int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void*, std::size_t), void (*free_hook)(const volatile void*));

namespace {
void count_malloc(const volatile void*, std::size_t) { ++allocations; }
void ignore_free(const volatile void*) {}
const bool hook_installed =
    __sanitizer_install_malloc_and_free_hooks(count_malloc, ignore_free) != 0;
}  // namespace
#else
// GCC cannot see that this operator new and operator delete are a matched malloc/free pair.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace lab {
namespace {

void w1_body(void*) {
  lab::shared<int> x{0, "x"};
  lab::mutex m{"m"};
  auto inc = [&] {
    lab::lock_guard g(m);
    x = x + 1;
  };
  lab::thread a(inc), b(inc), c(inc);
  a.join();
  b.join();
  c.join();
  lab::assert_that(x.load() == 3);
}

TEST(SteadyState, ExecutionsAllocateNothingOnceWarm) {
#ifdef CONLAB_COUNT_WITH_SANITIZER_HOOK
  ASSERT_TRUE(hook_installed) << "the sanitizer runtime refused the allocation hook";
#endif
  {  // the counter sees an allocation (a direct call: a new-expression may be elided)
    long c0 = allocations.load();
    void* volatile p = ::operator new(64);
    ::operator delete(p);
    ASSERT_GT(allocations.load(), c0) << "the allocation counter is not counting";
  }
  rt::execution ex;
  detector_set detectors(ex, options{});  // every detector, as the explorer runs them
  ex.attach(&detectors);
  random_strategy strat(1, 100000, 0.05);
  std::uint64_t i = 0;
  for (; i < 200; ++i) {
    strat.begin_execution(i);
    ex.run(w1_body, nullptr, strat, {.max_steps = 10000});
  }
  long before = allocations.load();
  for (; i < 5200; ++i) {
    strat.begin_execution(i);
    ex.run(w1_body, nullptr, strat, {.max_steps = 10000});
    ASSERT_FALSE(ex.outcome().definite) << "W1 is correct";
  }
  EXPECT_EQ(allocations.load() - before, 0) << "allocations in 5000 warm executions";
}

}  // namespace
}  // namespace lab
