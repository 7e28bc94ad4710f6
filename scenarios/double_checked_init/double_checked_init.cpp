// double_checked_init: lazy initialisation guarded by a plain "ready" flag read without the lock.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

enum class how { plain_flag, relaxed_flag, atomic_flag, call_once };

/// Two threads both want the configuration; whoever comes first builds it, exactly once.
template <how H>
void run() {
  lab::shared<int> config{0, "config"};
  lab::shared<int> builds{0, "builds"};
  lab::shared<bool> ready{false, "ready"};
  lab::atomic<bool> ready_atomic{false, "ready"};
  lab::once_flag once{"once"};
  lab::mutex m{"m"};
  auto build = [&] {
    builds = builds + 1;
    config = 42;
  };
  auto get = [&] {
    if constexpr (H == how::plain_flag) {
      if (!ready.load()) {  // first check, without the lock
        lab::lock_guard hold(m);
        if (!ready.load()) {  // second check, under it
          build();
          ready = true;
        }
      }
    } else if constexpr (H == how::atomic_flag || H == how::relaxed_flag) {
      constexpr bool ordered = H == how::atomic_flag;
      if (!ready_atomic.load(ordered ? std::memory_order_acquire : std::memory_order_relaxed)) {
        lab::lock_guard hold(m);
        if (!ready_atomic.load(std::memory_order_relaxed)) {
          build();
          ready_atomic.store(true, ordered ? std::memory_order_release : std::memory_order_relaxed);
        }
      }
    } else {
      lab::call_once(once, build);
    }
    lab::assert_that(config == 42, "the configuration is built before it is used");
  };
  lab::thread t1(get);
  lab::thread t2(get);
  t1.join();
  t2.join();
  lab::assert_that(builds == 1, "built exactly once");
}

}  // namespace

void add_double_checked_init(std::vector<scenario>& out) {
  constexpr std::string_view mode = "data race / lost update on shared memory";
  out.push_back({"double_checked_init", "broken", mode, verdict::data_race,
                 "double-checked locking with a plain bool flag read outside the lock", &run<how::plain_flag>});
  out.push_back({"double_checked_init", "broken_relaxed", "the wrong memory order", verdict::data_race,
                 "the flag an atomic, but loaded and stored with memory_order_relaxed", &run<how::relaxed_flag>});
  out.push_back({"double_checked_init", "fixed", mode, verdict::clean,
                 "the flag an atomic with acquire/release", &run<how::atomic_flag>});
  out.push_back({"double_checked_init", "fixed_call_once", mode, verdict::clean, "lab::call_once (std::call_once)",
                 &run<how::call_once>});
}

}  // namespace lab::scenarios
