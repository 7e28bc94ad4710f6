// fork_with_held_lock: a service forks a helper process while its heartbeat thread is writing to
// the log under the log's lock; the helper logs too.
#include <string_view>
#include <vector>

#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

using namespace std::chrono_literals;

/// Every line goes through one lock, as Python's logging handlers do (Handler.lock).
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

/// Broken: the service starts its heartbeat thread, then forks the helper: whenever the fork
/// lands while the heartbeat holds the log's lock - most of the time - the helper's copy of that
/// lock is locked forever (the heartbeat thread was not copied) and the helper hangs at its
/// first log line. Fixed: the helper is forked at start-up, before any thread exists (the
/// fork-server pattern: multiprocessing's "forkserver" start method), so there is no lock to
/// inherit.
template <bool ForkFirst>
void run() {
  logger log;
  lab::atomic<bool> stop{false, "stop"};
  auto helper_body = [&log] { log.write("helper: started"); };
  lab::process helper;
  if constexpr (ForkFirst) helper = lab::fork(helper_body);
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
  if constexpr (!ForkFirst) helper = lab::fork(helper_body);
  int status = helper.wait();
  stop.store(true);
  beat.join();
  lab::assert_that(status == 0, "the helper exited normally");
}

}  // namespace

void add_fork_with_held_lock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "process overhead and IPC cost";
  out.push_back({"fork_with_held_lock", "broken", mode, verdict::deadlock,
                 "fork while the heartbeat thread holds the log's lock: the child's first log line hangs", &run<false>});
  out.push_back({"fork_with_held_lock", "fixed", mode, verdict::clean,
                 "fork the helper at start-up, before any thread exists (a fork server)", &run<true>});
}

}  // namespace lab::scenarios
