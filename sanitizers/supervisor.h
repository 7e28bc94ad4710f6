// Running a program as a child process under a watchdog: its output captured, a hang turned into
// a report with every thread's stack (the faulthandler.dump_traceback_later analogue), and never
// a stuck caller.
//
//   auto r = lab::run_child({"build/tsan/harness/cli/conlab", "run", "lost_update/broken",
//                            "--backend", "native"}, 10.0);
//   if (r.timed_out) for (const auto& t : lab::parse_gdb_backtraces(r.stacks)) ...
//
// The child runs in a process group of its own; at the deadline gdb (when installed) attaches
// and prints `thread apply all bt`, then the whole group is killed with SIGKILL.
#pragma once

#include <string>
#include <vector>

namespace lab {

/// What to run and how long to let it.
struct child_spec {
  std::vector<std::string> argv;  ///< argv[0] looked up on PATH when it has no '/'
  std::vector<std::string> env;   ///< "NAME=value", added to the caller's environment (replacing)
  double timeout_s = 60;          ///< wall-clock limit of the whole run
  /// When > 0, also stop the child once it has written nothing for this long: with a child
  /// that reports progress, a per-step limit (one run of many hung) instead of one for all.
  double idle_timeout_s = 0;
  bool dump_stacks = true;  ///< at a timeout, gdb takes every thread's stack before the kill
  /// Polled about every 100 ms while the child runs; when it answers true the child's process
  /// group gets SIGTERM, then SIGKILL a second later, and the outcome says `interrupted`. For
  /// Ctrl-C: the child is in a group of its own, so the terminal's SIGINT never reaches it.
  bool (*stop)() noexcept = nullptr;
};

struct child_outcome {
  int exit_code = -1;  ///< when it exited by itself
  int signal = 0;      ///< the signal that ended it (SIGKILL after a timeout)
  bool timed_out = false;  ///< stopped by either limit
  bool idle = false;       ///< ... and it was the idle limit (silent for idle_timeout_s)
  bool interrupted = false;  ///< ended because `stop` asked for it (not a timeout, not a finding)
  bool started = true;  ///< false when the program could not be executed (`output` says why)
  std::string output;   ///< stdout and stderr, interleaved as written
  std::string stacks;   ///< gdb's backtraces of every thread, taken before the kill (timed out)
  double seconds = 0;   ///< wall-clock time until it ended or was killed
};

/// Runs `spec.argv` under the limits of `spec`. Thread-safe (several children may run at once
/// from different threads); blocks the caller until the child has ended or been killed.
child_outcome run_child(const child_spec& spec);

/// The same with a plain wall-clock limit and no extra environment.
child_outcome run_child(const std::vector<std::string>& argv, double timeout_s, bool dump_stacks = true);

}  // namespace lab
