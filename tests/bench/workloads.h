// The reference workloads (docs/performance.md) as conlab programs (Relacy's are relacy_workloads.cpp):
//   W1: 3 threads, each once: lock(m); x = x + 1; unlock(m); main joins all and asserts x == 3.
//   W2: 4 threads, each 10 times: lock(m); x = x + 1; unlock(m); a.fetch_add(1).
#pragma once

#include "harness/lab.h"

namespace lab::bench {

inline void w1() {
  lab::shared<int> x{0, "x"};
  lab::mutex m{"m"};
  auto inc = [&] {
    m.lock();
    x = x + 1;
    m.unlock();
  };
  lab::thread a(inc), b(inc), c(inc);
  a.join();
  b.join();
  c.join();
  lab::assert_that(x == 3, "x == 3");
}

inline void w2() {
  lab::shared<int> x{0, "x"};
  lab::mutex m{"m"};
  lab::atomic<int> a{0, "a"};
  auto work = [&] {
    for (int i = 0; i < 10; ++i) {
      m.lock();
      x = x + 1;
      m.unlock();
      a.fetch_add(1);
    }
  };
  lab::thread t1(work), t2(work), t3(work), t4(work);
  t1.join();
  t2.join();
  t3.join();
  t4.join();
  lab::assert_that(x == 40 && a.load() == 40, "x == 40 and a == 40");
}

}  // namespace lab::bench
