// fork_with_held_lock, fixed: the helper is forked at start-up, before any thread exists (the
// fork-server pattern: multiprocessing's "forkserver" start method), so there is no held lock for
// it to inherit.
#include <chrono>
#include <string_view>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

class logger {
 public:
  void write(std::string_view /*line*/) {
    lab::lock_guard hold(m_);
    lab::this_thread::work(50us);  // format the record
    lab::this_thread::yield();     // write it out: the thread may lose the CPU here, lock held
  }

 private:
  lab::mutex m_{"log.m"};
};

}  // namespace

LAB_EXERCISE(fork_with_held_lock) {
  logger log;
  lab::atomic<bool> stop{false, "stop"};
  auto helper_body = [&log] { log.write("helper: started"); };
  lab::process helper = lab::fork(helper_body);  // before the heartbeat thread exists
  lab::atomic<bool> beating{false, "beating"};
  lab::thread beat([&] {
    while (!stop.load()) {
      log.write("heartbeat");
      beating.store(true);
    }
  });
  log.write("service: starting the helper");
  while (!beating.load()) lab::this_thread::yield();  // the service is up: its heartbeat runs
  lab::this_thread::work(200us);                      // read the helper's configuration
  int status = helper.wait();
  stop.store(true);
  beat.join();
  lab::assert_that(status == 0, "the helper exited normally");
}
