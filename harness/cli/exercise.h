// `conlab exercise`: the workshop flow (docs/workshops.md) - list, start, check, hint, pack - and
// the learner's own program (lab::exercise_main, harness/exercise.h).
#pragma once

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "harness/cli/flags.h"
#include "harness/core/options.h"

namespace lab::cli {

/// One `conlab exercise SUB ...` command line, parsed (harness/cli/cli.cpp).
struct exercise_args {
  std::vector<std::string> positional;  ///< SUB, then its NAME (when it takes one)
  options opts;
  cli::flags flags;
  bool solution = false;  ///< --solution (start): the scenario's fix instead of the broken body
  bool force = false;     ///< --force (start, pack): overwrite the learner's file / a folder
  std::set<std::string, std::less<>> given;
};

/// Runs it; returns the exit code (cli.h). Bad usage throws std::invalid_argument (one line).
int exercise_command(const exercise_args& a, std::FILE* out, std::FILE* err);

}  // namespace lab::cli
