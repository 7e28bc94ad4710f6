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

struct child_outcome {
  int exit_code = -1;  ///< when it exited by itself
  int signal = 0;      ///< the signal that ended it (SIGKILL after a timeout)
  bool timed_out = false;
  bool started = true;  ///< false when the program could not be executed (`output` says why)
  std::string output;   ///< stdout and stderr, interleaved as written
  std::string stacks;   ///< gdb's backtraces of every thread, taken before the kill (timed out)
  double seconds = 0;   ///< wall-clock time until it ended or was killed
};

/// Runs `argv` (argv[0] looked up on PATH when it has no '/') with a wall-clock limit of
/// `timeout_s` seconds. With `dump_stacks`, a child still running at the deadline has every
/// thread's stack taken by gdb before it is killed. Thread-safe; blocks the caller.
child_outcome run_child(const std::vector<std::string>& argv, double timeout_s, bool dump_stacks = true);

}  // namespace lab
