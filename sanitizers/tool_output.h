// Parsers for what external detectors print - ThreadSanitizer, AddressSanitizer (and its leak
// checker), UndefinedBehaviorSanitizer, valgrind's helgrind and DRD - and for gdb's all-thread
// backtraces (the hang watchdog's stack dump). Each turns a tool's text into plain data: the
// tool's own headline, the lab's nearest verdict, and the stacks with their source lines.
//
//   auto found = lab::parse_sanitizer_output(child_stderr);   // TSan, ASan, LSan, UBSan
//   if (const frame* f = found[0].blame("scenarios/")) fmt::print("{}:{}", f->file, f->line);
//
// The parsers are pure functions of the text: no process, no file, tested on real outputs kept
// under tests/sanitizers/fixtures/. Lines they do not recognize are skipped, never an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/core/verdict.h"

namespace lab {

/// One stack frame with a source line (frames without one are dropped).
struct frame {
  std::string function;
  std::string file;  ///< as the tool printed it (relative when built with -ffile-prefix-map)
  int line = 0;
};

/// A titled stack of a report: "Read of size 4 at ... by thread T2", "freed by thread T0 here".
struct tool_stack {
  std::string heading;
  std::vector<frame> frames;
};

/// One report of one tool.
struct tool_finding {
  std::string tool;   ///< "tsan", "asan", "lsan", "ubsan", "helgrind", "drd"
  std::string title;  ///< the tool's category: "data race", "heap-use-after-free", ...
  /// The lab's nearest verdict: data_race, lock_order_inversion, mutex_misuse; memory errors,
  /// undefined behaviour, leaks, thread leaks and signal-unsafe calls are `crash` (what the
  /// program may do next is undefined).
  verdict kind = verdict::crash;
  std::vector<tool_stack> stacks;  ///< in the tool's order

  /// The first frame, over every stack in order, whose file starts with `prefix` (e.g.
  /// "scenarios/") or has it after a '/' (valgrind prints "build/dev/scenarios/..."), else the
  /// first frame of the program's own code (not under harness/ nor /usr/: a learner's exercise,
  /// a user's test), else the first frame at all; null when there is none.
  const frame* blame(std::string_view prefix = {}) const;
};

/// Every report in the output of a sanitizer runtime (TSan, ASan, LSan, UBSan), in order.
std::vector<tool_finding> parse_sanitizer_output(std::string_view text);

/// Every error in the output of valgrind's helgrind or DRD (`tool`: "helgrind" or "drd").
std::vector<tool_finding> parse_valgrind_output(std::string_view text, std::string_view tool);

/// The lines of a tool's output, without their line ends ("\n" or "\r\n").
std::vector<std::string_view> split_lines(std::string_view text);

/// `text` without the raw addresses tools print (" at 0x7f6e...", " 0x0010c0a0", "(pid=123)"), so
/// that a heading reads the same in every run: "Read of size 4 by thread T3".
std::string without_addresses(std::string_view text);

/// True for a frame in the project's own sources (a relative path), not in a system header or
/// a library's sources.
bool is_project_frame(const frame& f);

/// One thread of gdb's `thread apply all bt`.
struct thread_stack {
  std::string name;  ///< "Thread 2 (LWP 11985)"
  std::vector<frame> frames;
};

/// The threads of gdb's `thread apply all bt` output, in gdb's order.
std::vector<thread_stack> parse_gdb_backtraces(std::string_view text);

}  // namespace lab
