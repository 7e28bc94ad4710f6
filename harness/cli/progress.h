// The progress line a command shows on a terminal: what it has done, at what rate, what it
// found so far, and how long the whole command still needs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "harness/explore/explorer.h"

namespace lab::cli {

/// Text that is safe to print on one terminal line: control characters as \n, \xNN.
std::string printable(std::string_view text);

/// Where a command stands: `units` is the work it will do - explorations for check and report,
/// cells for compare, 1 for run -, `finished` and `findings` how many of them ended and how many
/// of those found something. `current` is the exploration under way, if any.
struct progress_state {
  std::string command;
  std::size_t units = 1;
  std::size_t finished = 0;
  std::size_t findings = 0;
  std::optional<progress_update> current;
};

/// The line, without the terminal's control codes. Whole-command estimate: the time so far
/// times (work left / work done), where an exploration under way counts by its executions
/// done over its budget. Example:
///   "check: 3 of 110 explorations, 1 finding, ~2 min to go | lost_update/fixed (random) 2560 of 10000, 9120/s"
std::string format_progress(const progress_state& s, double command_elapsed_s);

/// The line on `err`, rewritten in place (carriage return, erase line) and wiped at the end.
/// Installs itself as the explorers' progress observer for its lifetime. Thread-safe: compare's
/// workers report cells from several threads.
class progress_line {
 public:
  /// `count_explorations`: each finished exploration is a unit (check, report, run); false: the
  /// command counts its units with unit_done (compare's cells).
  progress_line(std::FILE* err, std::string command, std::size_t units, bool count_explorations);
  ~progress_line();
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;

  /// One unit of the command ended (`finding`: it found something).
  void unit_done(bool finding);
  /// `n` of the units counted at the start will not be done after all (a sampler not needed
  /// once dpor verified the variant).
  void drop_units(std::size_t n);
  /// Prints `text` (a whole line, with its newline) above the progress line.
  void print_above(const std::string& text);
  /// Wipes the line, so that the caller may print (on stdout, which shares the terminal); the
  /// next update or redraw() brings it back.
  void wipe();
  void redraw();

 private:
  void on_update(const progress_update& u);
  void draw_locked();

  std::FILE* err_;
  bool count_explorations_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex m_;
  progress_state state_;  ///< guarded by m_
};

}  // namespace lab::cli
