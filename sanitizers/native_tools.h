// One scenario variant on real threads, N runs in a child process under a detector - none (a
// plain stress run), ThreadSanitizer, helgrind or DRD - with a per-run hang watchdog; the
// child's output is parsed into the first detection: which run, what, by whom, at which line.
//
//   lab::native_request rq{.variant = "lost_update/broken", .tool = lab::native_tool::tsan,
//                          .runs = 10, .program = "build/tsan/harness/cli/conlab"};
//   lab::native_result r = lab::run_under_tool(rq);
//   if (r.first) fmt::print("run {}: {} ({})\n", r.first->run, r.first->title, r.first->source);
//
// Protocol with the child: the child is `conlab run VARIANT --backend native --runs N ...` with
// CONLAB_NATIVE_MARKS set, so it writes `native_mark` lines ("run I of N", "finding in run I")
// to stderr; a tool's report belongs to the run whose mark precedes it. A child silent for
// `run_timeout_s` is hung: gdb takes every thread's stack (not under valgrind, where gdb would
// see valgrind's own threads) and the process group is killed. The child's own --timeout is
// set out of the way so that it is this watchdog, with the stacks, that ends a hang.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/verdict.h"
#include "sanitizers/tool_output.h"

namespace lab {

enum class native_tool { none, tsan, helgrind, drd };

std::string_view to_string(native_tool t);
/// "none", "tsan", "helgrind" or "drd"; nullopt otherwise.
std::optional<native_tool> parse_native_tool(std::string_view name);

/// The sanitizer this very binary runs under - built with, or linked with its runtime (a learner's
/// exercise, instrumented over uninstrumented libraries): "thread", "address" or "" (none).
std::string_view this_build_sanitizer();

struct native_request {
  std::string variant;  ///< NAME/VARIANT
  native_tool tool = native_tool::none;
  std::uint64_t runs = 10;
  double jitter = 0;      ///< the child's --jitter
  double work_scale = 1;  ///< the child's --work-scale
  double stall_ms = 100;  ///< the child's --stall-ms (the native event loop's stall check)
  double run_timeout_s = 5;  ///< a child silent this long is hung (each run writes a mark)
  double budget_s = 300;     ///< the whole child; past it the runs done so far are the result
  std::string program;       ///< the conlab binary (built with TSan for native_tool::tsan)
  std::string suppressions_dir;  ///< holds tsan.supp and valgrind.supp; empty: none used
  bool stop_at_first = true;     ///< halt_on_error / --exit-on-first-error
};

/// The first thing seen to go wrong in the runs of one request.
struct native_detection {
  std::uint64_t run = 0;  ///< 1-based
  verdict kind = verdict::clean;
  /// Who saw it: "tsan", "helgrind", "drd" (the tool's report), "lab" (the scenario's own
  /// check: an assertion, a stall, an escaped exception), "watchdog" (a hang), "signal" (killed by
  /// one), "exit" (a failing exit status and nothing else to say why).
  std::string source;
  std::string title;    ///< the tool's headline ("data race", "lock order violated"), or the verdict
  std::string where;    ///< "scenarios/x/x.cpp:19" when a frame of the scenario is known
  std::string message;  ///< one line
};

struct native_result {
  std::string variant;
  native_tool tool = native_tool::none;
  double jitter = 0;
  std::uint64_t runs_started = 0;  ///< runs the child began (its marks)
  std::optional<native_detection> first;
  std::vector<tool_finding> reports;  ///< every report of the tool, over all runs
  std::vector<thread_stack> stacks;   ///< a hang: every thread, from gdb
  bool budget_exhausted = false;      ///< stopped at budget_s (not a finding)
  bool interrupted = false;           ///< stopped by request_stop() (Ctrl-C): incomplete, not a pass
  std::string error;                  ///< the child could not run as asked (one line); else empty
  double seconds = 0;
  std::string output;  ///< the child's stdout and stderr, for a reader who wants the raw text

  /// "tsan", "tsan+jitter", "stress", "stress+jitter", "helgrind", "drd": the comparison's column.
  std::string column() const;
};

/// Runs the request (blocks; thread-safe: several may run at once).
native_result run_under_tool(const native_request& rq);

/// The conlab binary to run for `tool`, from `self` (this executable's path) and the preset
/// builds beside it in build/: for tsan, itself if it is a TSan build, else build/tsan; for a
/// stress run, itself if it has no sanitizer, else build/ci, dev or release; for valgrind,
/// build/dev or ci first (unoptimised: see the .cpp), else itself if it has no sanitizer, else
/// build/release. Empty, with `why` set, when there is none.
std::string program_for(native_tool tool, const std::string& self, std::string& why);

/// Checks that `path` is a conlab binary that `tool` can use: it answers `--version` as conlab
/// does, built with ThreadSanitizer for tsan and with no sanitizer for the others (valgrind
/// cannot run a sanitized binary; a stress run of one measures the sanitizer). Empty when it
/// is, else the one-line reason. Runs the binary once per path and process (then cached).
std::string check_conlab_binary(native_tool tool, const std::string& path);

}  // namespace lab
