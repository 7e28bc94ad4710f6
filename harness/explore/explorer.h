// The explorer loop: many executions of one program under a strategy, and the replay of one.
#pragma once

#include <functional>
#include <string_view>

#include "harness/core/options.h"
#include "harness/trace/report.h"
#include "harness/trace/schedule.h"

namespace lab {

/// The program under test: run once per execution as thread T0. It must be deterministic given
/// the lab's choices: no real time, real randomness or real threads inside.
using body_fn = std::function<void()>;

/// Explores `body` with the strategy of `opts` until the first definite finding or the end of
/// the budget (`opts.schedules` executions), with every detector of the detector set on
/// (harness/explore/detector_set.h). The fast pass keeps no history; the failing execution (or,
/// when nothing definite turned up, the first potential finding) is then replayed from its
/// recorded schedule with full history, and `reproduced` says whether the replay gave the same
/// verdict, as Relacy does. `name` ends up in the report and the replay token. Throws
/// std::invalid_argument (one line) for a strategy the registry does not know or an option out
/// of its range (lab::check_options). A search cut short by request_stop() says so
/// (`interrupted`): its clean verdict covers only the executions it made. `opts.time_budget`
/// ends the search after that many seconds, as a sample ("the time budget ... ended first").
///
/// A finding is minimised before it is reported (harness/explore/minimise.h): the report shows
/// the execution with the fewest preemptions, then steps, that gives the same verdict, and its
/// replay token is that execution's; `schedule` stays the index of the first failing one.
///
/// `opts.jobs` > 1 splits the executions over that many OS threads, each with its own
/// runtime; with the random strategy the report is the same as with one job (execution i makes
/// the same choices wherever it runs, and the lowest failing index wins). dpor splits its tree
/// between the jobs as --shard splits it between machines (harness/scheduler/dpor.h): the
/// verdict is the same as with one job; which finding is shown, when there is one, may vary.
/// `opts.shard` ("I/N") explores one slice of the space (see --shard in docs/cli.md).
run_report explore(std::string_view name, const body_fn& body, const options& opts);

/// How a plan of strategies (check_variant's, "auto") asks one exploration to behave.
struct explore_hints {
  /// An exhaustive strategy stops at the first execution cut at the step limit: the space is
  /// then not finite, no proof can come of it, and the samplers after it make better use of the
  /// budget than a depth-first corner of an infinite tree.
  bool stop_when_unprovable = false;
};
run_report explore(std::string_view name, const body_fn& body, const options& opts, const explore_hints& hints);

/// How an exploration advances: told now and then - about four times a second - while it runs,
/// and once when it ends (`finished`, with its verdict).
struct progress_update {
  std::string_view name;      ///< the scenario
  std::string_view strategy;  ///< the strategy exploring it
  std::uint64_t done = 0;     ///< executions so far
  std::uint64_t budget = 0;   ///< the executions it may make
  double elapsed_s = 0;       ///< seconds since it began
  bool finished = false;
  verdict result = verdict::clean;  ///< when finished
};
/// For a progress line on a terminal (the CLI sets one when stderr is a tty); called on an
/// exploring OS thread.
using progress_fn = std::function<void(const progress_update&)>;
/// Sets the process's progress observer (empty: none). Set it before exploring, not during.
void set_progress(progress_fn f);

/// Asks running explorations to stop after their current execution (async-signal-safe: a
/// SIGINT handler may call it). They report what they found so far, with a note saying they
/// were interrupted; a finding already made is still replayed and reported in full.
void request_stop() noexcept;
/// Clears a previous request_stop().
void clear_stop() noexcept;
/// True after request_stop() until clear_stop(): for loops over many explorations or runs.
bool stop_was_requested() noexcept;

/// Runs execution `index` of the strategy of `opts` (random: its seed-th and index-th draw) once,
/// with full history: what the program does rather than whether it fails - for checks on its
/// behaviour (the workshop's invariants, scenarios/exercises.h). The report holds the history,
/// threads and objects of that execution and what the detectors said of it; no replay token.
run_report observe(std::string_view name, const body_fn& body, const options& opts, std::uint64_t index);

/// Re-runs exactly the execution `token` describes, with full history - a token of `conlab play`
/// (strategy "play") with every plain access a scheduling point, as it was made
/// (rt::run_mode::every_access). `reproduced` is false when the program asked for choices the
/// token does not hold (it is not the same program).
run_report replay(const replay_token& token, const body_fn& body, const options& opts);

}  // namespace lab
