// peterson: Peterson's mutual exclusion for two threads, on atomics whose order decides whether
// it excludes anything.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

/// Each thread raises its flag, gives the other the turn, and waits while the other's flag is
/// up and the turn is the other's. Stores use `W`, loads `R`.
template <std::memory_order W, std::memory_order R>
void run() {
  lab::atomic<bool> flag0{false, "flag0"}, flag1{false, "flag1"};
  lab::atomic<int> turn{0, "turn"};
  lab::atomic<int> inside{0, "inside"};  // threads in the critical section
  auto enter = [&](lab::atomic<bool>& mine, lab::atomic<bool>& theirs, int other) {
    mine.store(true, W);
    turn.store(other, W);
    while (theirs.load(R) && turn.load(R) == other) lab::this_thread::yield();
    lab::assert_that(inside.fetch_add(1) == 0, "one thread at a time in the critical section");
    inside.fetch_sub(1);
    mine.store(false, W);
  };
  lab::thread t0([&] { enter(flag0, flag1, 1); });
  lab::thread t1([&] { enter(flag1, flag0, 0); });
  t0.join();
  t1.join();
}

}  // namespace

void add_peterson(std::vector<scenario>& out) {
  constexpr std::string_view mode = "the wrong memory order";
  out.push_back({"peterson", "broken", mode, verdict::assertion_failed,
                 "flags and turn stored with release, loaded with acquire",
                 &run<std::memory_order_release, std::memory_order_acquire>});
  out.push_back({"peterson", "fixed", mode, verdict::clean, "every access seq_cst",
                 &run<std::memory_order_seq_cst, std::memory_order_seq_cst>});
}

}  // namespace lab::scenarios
