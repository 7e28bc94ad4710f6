#include "harness/cli/merge.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "harness/core/options.h"

namespace lab::cli {
namespace {

using nlohmann::json;

json read_run(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("merge: cannot read {}", file));
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("stats") || !j.contains("shard") || !j.contains("verdict"))
    throw std::invalid_argument(fmt::format("merge: {} is not the JSON of 'conlab run --shard I/N --format json'", file));
  return j;
}

std::string str(const json& j, const char* key) { return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : ""; }

}  // namespace

merged_run merge_runs(const std::vector<std::string>& files) {
  if (files.empty()) throw std::invalid_argument("merge: name the JSON files of the slices (conlab merge FILE...)");
  std::vector<json> runs;
  for (const auto& f : files) runs.push_back(read_run(f));
  const json& first = runs.front();
  std::vector<int> seen;
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const json& r = runs[i];
    for (const char* key : {"scenario", "variant", "strategy", "backend"})
      if (str(r, key) != str(first, key))
        throw std::invalid_argument(fmt::format("merge: {} is of {} '{}', {} of '{}': not slices of one exploration",
                                                files[i], key, str(r, key), files[0], str(first, key)));
    if (r.value("seed", 0) != first.value("seed", 0))
      throw std::invalid_argument(fmt::format("merge: {} has another seed than {}", files[i], files[0]));
    auto slice = parse_shard(str(r, "shard"));
    if (!slice) throw std::invalid_argument(fmt::format("merge: {} is not a slice (run it with --shard I/N)", files[i]));
    if (count == 0) count = slice->count;
    if (slice->count != count)
      throw std::invalid_argument(fmt::format("merge: {} is a slice of {}, {} of {}", files[i], slice->count, files[0], count));
    if (std::find(seen.begin(), seen.end(), static_cast<int>(slice->index)) != seen.end())
      throw std::invalid_argument(fmt::format("merge: slice {} is given twice ({})", str(r, "shard"), files[i]));
    seen.push_back(static_cast<int>(slice->index));
  }
  if (seen.size() != count) {
    std::string missing;
    for (std::uint64_t i = 0; i < count; ++i)
      if (std::find(seen.begin(), seen.end(), static_cast<int>(i)) == seen.end())
        missing += fmt::format("{}{}/{}", missing.empty() ? "" : ", ", i + 1, count);
    throw std::invalid_argument(fmt::format("merge: slice {} missing: {} of {} given", missing, seen.size(), count));
  }
  // The run shown: the finding a single run would report (lowest execution; dpor: first slice).
  const bool sampler = str(first, "strategy") == "random" || str(first, "strategy") == "pct";
  const json* chosen = nullptr;
  std::uint64_t executions = 0, steps = 0, classes = 0;
  double elapsed = 0;
  bool all_exhaustive = true, interrupted = false;
  std::string not_done;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const json& r = runs[i];
    const json& st = r["stats"];
    executions += st.value("executions", std::uint64_t{0});
    steps += st.value("steps", std::uint64_t{0});
    classes += st.value("classes", std::uint64_t{0});
    elapsed = std::max(elapsed, st.value("elapsed_s", 0.0));
    if (!st.value("exhaustive", false)) {
      all_exhaustive = false;
      not_done += fmt::format("{}{}", not_done.empty() ? "" : ", ", str(r, "shard"));
    }
    interrupted = interrupted || r.value("interrupted", false);
    if (str(r, "verdict") == "clean") continue;
    if (!chosen || (sampler ? r.value("schedule", 0) < chosen->value("schedule", 0)
                            : parse_shard(str(r, "shard"))->index < parse_shard(str(*chosen, "shard"))->index))
      chosen = &r;
  }
  merged_run out;
  out.finding = chosen != nullptr;
  out.incomplete = interrupted;
  json m = chosen ? *chosen : first;
  const std::string name = str(m, "scenario") + (str(m, "variant").empty() ? "" : "/" + str(m, "variant"));
  std::string note;
  if (chosen) {
    note = fmt::format("{}; merged from {} slices, found in slice {}", str(*chosen, "note"), count, str(*chosen, "shard"));
  } else if (all_exhaustive) {
    note = fmt::format("verified: no finding in any of the {} slices, each explored to its end ({} executions, {} "
                       "interleaving classes counted slice by slice)",
                       count, executions, classes);
  } else {
    note = fmt::format("sampled: no finding in {} executions over {} slices{}", executions, count,
                       str(first, "strategy") == "dpor" ? fmt::format("; slice {} did not explore its part to the end", not_done)
                                                        : "");
  }
  if (interrupted) note += "; a slice was interrupted: the verdict covers less than was asked";
  m["shard"] = "";
  m["note"] = note;
  m["interrupted"] = interrupted;
  m["stats"]["executions"] = executions;
  m["stats"]["steps"] = steps;
  m["stats"]["classes"] = classes;
  m["stats"]["elapsed_s"] = elapsed;
  m["stats"]["exhaustive"] = !chosen && all_exhaustive && !interrupted;
  out.json = m.dump(2) + "\n";
  if (chosen)
    out.text = fmt::format("conlab merge: {}: {} in execution {} ({} strategy, seed {}, slice {}); {}\nReplay: {}\n", name,
                           str(m, "verdict"), m.value("execution", 0), str(m, "strategy"), m.value("seed", 0),
                           str(*chosen, "shard"), note, str(m, "replay_command"));
  else
    out.text = fmt::format("conlab merge: {} is clean: {} ({} strategy, seed {}).\n", name, note, str(m, "strategy"),
                           m.value("seed", 0));
  return out;
}

}  // namespace lab::cli
