// Test helper: a Ctrl-C that arrives `ms` milliseconds from now (lab::request_stop from another
// thread), for tests of interrupted work. Joins on destruction and clears the request, so the
// next test starts unstopped.
#pragma once

#include <chrono>
#include <thread>

#include "harness/explore/explorer.h"

namespace lab::test {

class stop_soon {
 public:
  explicit stop_soon(int ms = 300) : t_([ms] {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    request_stop();
  }) {
    clear_stop();
  }
  ~stop_soon() {
    if (t_.joinable()) t_.join();
    clear_stop();
  }
  /// Waits for the request to have been made (before asserting on what it stopped).
  void join() { t_.join(); }

 private:
  std::thread t_;
};

}  // namespace lab::test
