// The `conlab` command line: list, run, replay, check. docs/cli.md is the reference.
#pragma once

#include <cstdio>

namespace lab::cli {

/// Exit codes of every command.
enum exit_code : int {
  ok = 0,          ///< clean, or every expectation met
  found = 1,       ///< a finding (run, replay) or an unmet expectation (check)
  usage = 2,       ///< bad usage or bad input: one line on stderr
  internal = 3,    ///< a bug in conlab
  incomplete = 4,  ///< the work was cut short (interrupted): what was done is reported, but it is no pass
};

/// Runs the command line `argv` printing reports to `out` and errors to `err`.
int main(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace lab::cli
