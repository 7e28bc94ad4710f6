// `conlab native` (one variant, N real runs under one detector, in a child) and `conlab compare`
// (the whole catalog under every detector: the comparison table of reports/comparison.h).
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "harness/cli/flags.h"
#include "harness/core/options.h"
#include "reports/comparison.h"
#include "sanitizers/native_tools.h"
#include "scenarios/catalog.h"

namespace lab::cli {

/// Where the binaries and suppression files are.
struct native_setup {
  std::string self;              ///< this executable (/proc/self/exe)
  std::string suppressions_dir;  ///< the sources' sanitizers/ folder; empty when not found
};

/// The columns `conlab compare` knows, in the order it prints them.
const std::vector<std::string>& all_detectors();

/// The detector names --detectors asks for, in its order ("all": all_detectors()). Throws
/// std::invalid_argument for a name given twice.
std::vector<std::string> detector_names(const flags& f);

/// The binary for `tool` (--tsan-bin / --plain-bin when given); empty with `why` set when there
/// is none.
std::string binary_for(native_tool tool, const flags& f, const native_setup& setup, std::string& why);

/// `conlab native`: runs `s` opts.runs times under --tool. Throws nothing; a child that could
/// not run says so in result.error.
native_result run_native_command(const scenario& s, const options& opts, const flags& f, const native_setup& setup);

/// The report of `conlab native`, as text (the first detection, its stacks, the command that
/// repeats it) or as JSON.
std::string render_native(const native_result& r, const options& opts, const flags& f);

/// Told of each cell as it ends: its one-line summary (with the newline) and whether the
/// detector found something. Called from one thread at a time.
using cell_announcer = std::function<void(const std::string& line, bool finding)>;

/// Every chosen variant under every detector named in --detectors. Native cells run
/// opts.jobs at a time (0: one per core) in child processes; sim cells run here. Each cell's
/// line goes to `progress` (may be empty). After request_stop(), cells not yet begun are marked not run.
/// Throws std::invalid_argument for an unknown detector name.
reports::comparison compare(const std::vector<const scenario*>& chosen, const options& opts, const flags& f,
                            const native_setup& setup, const cell_announcer& progress);

}  // namespace lab::cli
