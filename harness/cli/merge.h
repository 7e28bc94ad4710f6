// `conlab merge FILE...`: the slices of one split exploration (--shard I/N, run on N machines
// of a CI matrix, each writing `conlab run ... --format json`) joined into one verdict.
#pragma once

#include <string>
#include <vector>

namespace lab::cli {

/// The merged verdict: verified only when every slice explored its part to the end (dpor), a
/// finding when any slice found one (the lowest execution for random and pct, so that the
/// verdict and token are the ones a single run would give; the first slice's for dpor).
struct merged_run {
  std::string json;  ///< the run JSON of the merged exploration ($defs/run of the schema)
  std::string text;  ///< one line for people, ending with the replay line for a finding
  bool finding = false;
  bool incomplete = false;  ///< some slice was interrupted: the verdict covers less than asked
};

/// Reads and joins `files`. Throws std::invalid_argument (one line) when they are not the N
/// slices of one exploration: unreadable, not a run JSON, another scenario, strategy or seed,
/// a slice missing or given twice.
merged_run merge_runs(const std::vector<std::string>& files);

}  // namespace lab::cli
