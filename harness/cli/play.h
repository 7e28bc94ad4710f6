// `conlab play`: you are the scheduler. The learner picks which thread takes the next step (and
// which ready task resumes, which store a load reads, whether a wait wakes spuriously) until the
// program fails; the failure's report and replay token end the game. docs/workshops.md.
#pragma once

#include <cstdio>
#include <string>

#include "harness/core/options.h"
#include "harness/explore/scenario.h"
#include "harness/trace/schedule.h"

namespace lab::cli {

struct play_args {
  const scenario* target = nullptr;
  /// --replay: step through this token's execution (forward and back) instead of choosing.
  const replay_token* token = nullptr;
  options opts;
  /// Read keys from `keys` and print each frame as plain text (scripted mode; when stdin or
  /// stdout is not a terminal). Otherwise full screen on the terminal.
  bool scripted = false;
  std::FILE* keys = stdin;
  std::string source_root;  ///< where the scenarios' sources are read from ("" = the working folder)
};

/// Plays until the learner quits (exit 0) or reaches a finding and asks for its report (exit 1,
/// the report printed as `conlab replay` prints it). Scripted input that ends first: exit 4.
int play(const play_args& a, std::FILE* out);

}  // namespace lab::cli
