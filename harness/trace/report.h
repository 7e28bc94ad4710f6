// The report model: plain data describing one run, built by the explorer, laid out by renderers.
#pragma once

#include <cstdint>
#include <source_location>
#include <string>
#include <vector>

#include "harness/core/ids.h"
#include "harness/core/verdict.h"
#include "harness/trace/event.h"
#include "harness/trace/finding.h"
#include "harness/trace/samples.h"

namespace lab {

struct thread_info {
  thread_id id = no_thread;
  thread_id parent = no_thread;  ///< no_thread for T0, the scenario body
  std::source_location created_at{};
};

struct object_info {
  object_id id = no_object;
  object_kind kind = object_kind::shared;
  std::uint32_t ordinal = 0;  ///< 1-based index among objects with the same id prefix: M1, M2, V1 ...
  std::string name;           ///< the name given in the source, or empty
  std::source_location declared_at{};
};

struct run_stats {
  std::uint64_t executions = 0;  ///< executions explored (or native runs)
  std::uint64_t steps = 0;       ///< scheduling steps over all executions
  double elapsed_s = 0;          ///< wall-clock seconds; never printed where goldens compare
  /// The strategy explored every class of executions it tells apart (dpor, dfs): a clean
  /// verdict is then a proof over the program's interleavings, not a sample ("verified").
  bool exhaustive = false;
  /// Distinct classes among the executions (dpor: Mazurkiewicz traces; 0 for strategies that
  /// do not tell executions apart).
  std::uint64_t classes = 0;
  /// An exhaustive search its budget cut short: an estimate of the executions the whole search
  /// would make (dpor_strategy::estimated_total); 0 when there is none.
  std::uint64_t estimated_executions = 0;
  /// The same unrounded, and its 95% half-width (strategy::knuth_estimate); 0 when there is none.
  double knuth_estimate = 0;
  double knuth_half_width = 0;
};

/// One run of one scenario: the verdict, the first finding's execution in full, and stats.
struct run_report {
  std::string scenario;  ///< "name/variant" or a test name
  std::string backend = "sim";
  std::string strategy;
  std::uint64_t seed = 0;
  std::string shard;  ///< "I/N" when the exploration was one slice of a split one (--shard), else empty
  verdict result = verdict::clean;
  std::uint64_t schedule = 0;   ///< index of the failing execution
  std::uint32_t steps = 0;      ///< steps of the failing execution
  std::string replay;           ///< replay token of the failing execution; empty when clean
  /// The command that replays it, when not `conlab replay TOKEN` (a user's test: lab::model
  /// sets "CONLAB_REPLAY=TOKEN ./tests --gtest_filter=Suite.Name").
  std::string replay_command;
  bool reproduced = false;      ///< the failing execution was re-run with history and gave the same verdict
  std::uint64_t preemptions = 0;  ///< of the reported execution: switches away from a thread that could go on
  /// Before it was reported the finding was minimised (harness/explore/minimise.h): `minimal`
  /// when no execution with fewer preemptions shows it, and `minimisation` says what the search
  /// found ("minimal: 1 preemption (...), 12 steps; first found with 4 preemptions and 37
  /// steps"); empty when the verdict is not minimised (starvation, livelock, step limit).
  bool minimal = false;
  std::string minimisation;
  std::vector<finding> findings;
  std::vector<thread_info> threads;  ///< of the failing execution
  std::vector<object_info> objects;  ///< of the failing execution, indexed by object_id
  std::vector<event> history;        ///< every event of the failing execution
  /// Events of `history` up to the finding; the rest happened after it (a starvation finding
  /// lets the execution run to its end). Equal to history.size() otherwise.
  std::size_t history_at_finding = 0;
  run_stats stats;
  /// What the scenario measured (lab::record_latency), in virtual time: of the failing execution
  /// when there is a finding, else over every execution explored (`measured_executions`).
  std::vector<sample_summary> measurements;
  std::uint64_t measured_executions = 0;
  std::string note;  ///< one line for the reader (why clean, what limited the search)
  /// The search stopped before its budget (request_stop: Ctrl-C, SIGTERM): a clean verdict
  /// then covers only `stats.executions` executions.
  bool interrupted = false;
  /// The replay of one execution (lab::replay, conlab replay), not an exploration: `schedule` is
  /// the execution's index in the exploration that found it.
  bool replayed = false;
};

}  // namespace lab

/// An object as reports name it: "M1", "V2" (its kind's prefix and its ordinal).
template <>
struct fmt::formatter<lab::object_info> : fmt::formatter<std::string_view> {
  auto format(const lab::object_info& o, format_context& ctx) const -> decltype(ctx.out()) {
    return fmt::format_to(ctx.out(), "{}{}", lab::id_prefix(o.kind), o.ordinal);
  }
};
