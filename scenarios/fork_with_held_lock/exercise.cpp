// fork_with_held_lock: a service starts its heartbeat thread, which logs all the time, and then
// forks a helper process that logs too. Every log line goes through one lock, as Python's logging
// handlers do (Handler.lock). A forked child gets a copy of the parent's memory - that lock
// included, in whatever state it was - but only the thread that called fork.
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
  lab::process helper;
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
  helper = lab::fork(helper_body);
  int status = helper.wait();
  stop.store(true);
  beat.join();
  lab::assert_that(status == 0, "the helper exited normally");
}
