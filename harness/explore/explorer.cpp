#include "harness/explore/explorer.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "harness/explore/minimise.h"
#include "harness/explore/worker.h"
#include "harness/runtime/execution.h"
#include "harness/scheduler/pb.h"
#include "harness/scheduler/registry.h"
#include "harness/scheduler/replay.h"

namespace lab {
namespace {

std::atomic<bool> stop_requested{false};

progress_fn progress_observer;  // set_progress: before exploring, read by the explorers

constexpr std::string_view weaker_orders_note =
    "atomics with orders weaker than seq_cst: explored under C++'s memory model (RC11): a load may read any store "
    "coherence allows, stale ones included, and a store go anywhere in modification order it may (dpor's search "
    "of those choices is not yet checked complete: a verified here is not a proof, see docs/verification.md)";
constexpr std::string_view weaker_orders_note_sc =
    "atomics with orders weaker than seq_cst were run as seq_cst (--memory-model sc): weak-ordering behaviours were "
    "not explored";
/// What a "verified" rests on, in a few words (docs/verification.md explains each).
std::string assumptions(const options& opts) {
  return fmt::format("assuming fair yields, {}, executions within {} steps; see docs/verification.md",
                     opts.spurious > 0 ? "at most one spurious wake-up or failure per thread" : "no spurious wake-ups",
                     opts.max_steps);
}

std::string_view weaker_note(const options& opts) {
  return opts.memory_model == "sc" ? weaker_orders_note_sc : weaker_orders_note;
}
static_assert(std::atomic<bool>::is_always_lock_free, "request_stop must be async-signal-safe");

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Replays `c` with history and fills the execution-specific part of `rep`.
void replay_into(run_report& rep, worker& w, const candidate& c, const body_fn& body, const options& opts,
                 std::string_view strategy_name, bool expect_verdict) {
  replay_strategy rs(c.choices, c.index, std::string(strategy_name));
  preemption_counter counted(rs);
  counted.begin_execution(0);
  // A token of `conlab play` was made with every plain access a scheduling point.
  w.run(body, counted, {.max_steps = opts.max_steps, .history = true, .every_access = strategy_name == "play"});
  rep.preemptions = counted.count();
  const auto& out = w.ex.outcome();
  const std::optional<finding>& f = out.definite ? out.definite : out.potential;
  rep.result = f ? f->kind : verdict::clean;
  if (f) rep.findings = {*f};
  rep.reproduced = !rs.diverged() && (!expect_verdict || rep.result == c.kind);
  if (expect_verdict && !rep.reproduced) {
    rep.result = c.kind;
    rep.note = "the failing execution did not reproduce when replayed with history: the program is not "
               "deterministic under the lab (real time, randomness or real threads inside?)";
  }
  rep.schedule = c.index;
  rep.steps = out.steps;
  rep.history = w.ex.history();
  rep.history_at_finding = out.definite ? out.events_at_finding : rep.history.size();
  rep.threads = w.ex.thread_table();
  rep.objects = w.ex.object_table();
  rep.replay = encode_token({rep.scenario, std::string(strategy_name), rep.seed, c.index, c.choices});
  rep.measurements = w.samples.summaries();
  rep.measured_executions = 1;
}

/// What the workers of one exploration share: the best candidates so far (lowest index wins) and
/// the index past which nobody needs to look.
struct shared_search {
  std::mutex m;
  std::optional<candidate> definite, potential;
  std::atomic<std::uint64_t> stop_at{~std::uint64_t{0}};
  std::atomic<std::uint64_t> executions{0}, steps{0};
  std::atomic<bool> interrupted{false};
  std::atomic<bool> weaker_orders{false};  ///< some execution asked for an order weaker than seq_cst
  std::atomic<bool> foreign{false};        ///< a thread the lab does not run used a lab primitive
  std::atomic<std::uint64_t> done{0};      ///< executions so far, in batches (for the progress line)
  std::atomic<std::uint64_t> classes{0};
  std::atomic<std::uint64_t> cut{0};       ///< exhaustive strategies: executions cut at the step limit
  std::atomic<bool> timed_out{false};      ///< the time budget ended the search
  std::atomic<std::uint64_t> walked{0};    ///< --shard, dpor: executions that walked past another slice's prefix
  std::atomic<std::uint64_t> exhausted_workers{0};
  std::uint64_t estimate = 0;  ///< guarded by m: the strategies' estimated_total, summed
  /// Guarded by m: Knuth's estimates of the strategies, summed (means; squared half-widths).
  double knuth_mean = 0, knuth_var = 0;
  std::uint64_t knuth_paths = 0;
  std::uint64_t workers = 1;
  bool stop_when_unprovable = false;       ///< explore_hints
  std::uint64_t grew_at = 0, grew_steps = 0, first_steps = 0;  ///< the execution that grew past the bound (1-based)
  // Bounded strategies (one worker): whether the bound left schedules out, and the highest
  // bound explored to its end (strategy::pruned, complete_bound).
  bool pruned = false, space_done = false;
  std::int64_t complete_bound = -1;
  std::string_view name;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  sample_store samples;  ///< guarded by m

  void offer(candidate c) {
    std::lock_guard g(m);
    auto& slot = is_potential(c.kind) ? potential : definite;
    if (!slot || c.index < slot->index) slot = std::move(c);
    // Workers that split a tree number their executions each from 0: a definite finding stops
    // them all (which one is reported may then vary between runs; the verdict does not).
    if (!is_potential(slot->kind)) stop_at.store(split_tree ? 0 : std::min(stop_at.load(), slot->index));
  }
  bool split_tree = false;
};

/// Explores the executions i with i % stride == offset, stopping early when another worker has
/// already found a definite finding at a lower index.
void search(shared_search& s, const body_fn& body, const options& opts, std::uint64_t offset, std::uint64_t stride) {
  std::uint64_t walked = 0;  // executions that only led to another slice's part (dpor --shard)
  std::uint64_t first_steps = 0;
  // Without the weak memory model until the program asks for a weaker order: an execution of
  // seq_cst atomics and locks reads the same stores under it, and pays nothing for it.
  worker w(opts, false);
  auto strat = make_strategy(opts);
  // A strategy that regenerates its choices is not recorded in the fast pass: the execution
  // that found something runs again, recording, to give its schedule.
  const rt::run_mode fast{.max_steps = opts.max_steps, .record_choices = !strat->regenerates_choices()};
  auto schedule_of = [&](std::uint64_t i) {
    if (fast.record_choices) return w.ex.choices();
    strat->begin_execution(i);
    w.run(body, *strat, {.max_steps = opts.max_steps});
    return w.ex.choices();
  };
  std::uint64_t executions = 0, steps = 0, cut = 0;
  const bool exhaustive = find_strategy(opts.strategy)->exhaustive;
  bool have_potential = false;
  auto last_progress = std::chrono::steady_clock::now();
  const auto deadline = opts.time_budget > 0
                            ? s.started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                              std::chrono::duration<double>(opts.time_budget))
                            : std::chrono::steady_clock::time_point::max();
  for (std::uint64_t i = offset; i < s.stop_at.load(std::memory_order_relaxed) && strat->begin_execution(i); i += stride) {
    if (i == offset) {  // (again: after a restart under the weak memory model)
      executions = steps = cut = walked = first_steps = 0;
      have_potential = false;
    }
    if (stop_requested.load(std::memory_order_relaxed)) {
      s.interrupted.store(true);
      break;
    }
    // The clock is read every 16 executions: a few microseconds late at most, 1/16 of its cost.
    if (executions != 0 && (executions & 15) == 0 && std::chrono::steady_clock::now() >= deadline) [[unlikely]] {
      s.timed_out.store(true);
      break;
    }
    w.run(body, *strat, fast);
    if (w.needs_weak_memory()) [[unlikely]] {
      // The first order weaker than seq_cst: every execution so far read what it would have
      // read under the model (none asked for less), but this one may not have. Start again
      // with the model, from the first execution, with a new strategy.
      w.set_weak_memory(true);
      strat = make_strategy(opts);
      i = offset - stride;  // the loop's increment makes it `offset`
      continue;
    }
    ++executions;
    if ((executions & 255) == 0 && progress_observer) [[unlikely]] {
      s.done.fetch_add(256, std::memory_order_relaxed);
      auto now = std::chrono::steady_clock::now();
      if (offset == 0 && now - last_progress > std::chrono::milliseconds(250)) {
        last_progress = now;
        progress_observer({.name = s.name,
                           .strategy = opts.strategy,
                           .done = s.done.load(std::memory_order_relaxed),
                           .budget = opts.schedules,
                           .elapsed_s = std::chrono::duration<double>(now - s.started).count()});
      }
    }
    if (rt::execution::take_foreign_thread()) [[unlikely]] {
      s.foreign.store(true);
      break;
    }
    const auto& out = w.ex.outcome();
    steps += out.steps;
    if (!strat->owns_last()) [[unlikely]] {
      ++walked;
      continue;
    }
    if (out.definite && out.definite->kind == verdict::step_limit && exhaustive) [[unlikely]] {
      // An exhaustive search runs unfair schedules too: one thread looping while the thread
      // that would end its loop never runs reaches any step limit. Such an execution is cut,
      // not a finding, and the space is not finite: the verdict can only be a sample.
      ++cut;
      if (s.stop_when_unprovable) break;
      continue;
    }
    if (out.definite) {
      verdict kind = out.definite->kind;
      s.offer({i, schedule_of(i), kind, w.ex.weak_memory()});
      break;
    }
    if (out.potential && !have_potential) {
      have_potential = true;
      verdict kind = out.potential->kind;
      s.offer({i, schedule_of(i), kind, w.ex.weak_memory()});
    }
    if (executions == 1) first_steps = out.steps;
    if (s.stop_when_unprovable && exhaustive && out.steps > std::max<std::uint64_t>(1000, 20 * first_steps))
        [[unlikely]] {
      // Executions growing without a bound: a loop with no bound under unfair schedules, each
      // class one more round. No proof comes of it, and each longer execution costs more to
      // analyse; the plan's samplers make better use of the budget.
      std::lock_guard g(s.m);
      s.grew_at = executions;
      s.grew_steps = out.steps;
      s.first_steps = first_steps;
      break;
    }
  }
  s.executions += executions;
  s.steps += steps;
  s.cut += cut;
  s.walked += walked;
  // Exhausted means every class was seen; a search that stopped at a finding is not, nor one
  // with executions cut at the step limit. With dpor --jobs, every worker's slice must be.
  if (strat->exhausted() && !s.interrupted && cut == 0 && !strat->pruned()) ++s.exhausted_workers;
  s.classes += strat->classes();
  if (w.ex.saw_weaker_orders()) s.weaker_orders.store(true);
  std::lock_guard g(s.m);
  s.estimate += strat->estimated_total();
  if (auto k = strat->estimated_by_knuth(); k.paths != 0) {
    s.knuth_mean += k.mean;
    s.knuth_var += k.half_width * k.half_width;
    s.knuth_paths += k.paths;
  }
  if (exhaustive) {  // bounded strategies run on one worker; dpor's slices all say the same
    s.pruned = s.pruned || strat->pruned();
    s.space_done = strat->exhausted();
    s.complete_bound = strat->complete_bound();
  }
  s.samples.merge(w.samples);
}

/// "1st", "2nd", "11th", "23rd".
std::string ordinal(std::uint64_t n) {
  const std::uint64_t tens = n % 100, ones = n % 10;
  const char* suffix = tens >= 11 && tens <= 13 ? "th" : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th";
  return fmt::format("{}{}", n, suffix);
}

/// ", every schedule with at most K preemptions explored" for a bounded search that completed a
/// bound, else nothing.
/// " (+- 1.1e+05 at 95%, from the spread of the subtrees done so far)": the estimate's
/// uncertainty, when there is one.
std::string knuth_text(const run_stats& st) {
  if (st.knuth_half_width <= 0) return "";
  return fmt::format(" (+- {:.2g} at 95%, from the spread of the subtrees done so far)", st.knuth_half_width);
}

std::string bounded_coverage(const shared_search& s) {
  if (s.complete_bound < 0) return {};
  return fmt::format(" (every schedule with at most {} preemption{} explored)", s.complete_bound,
                     s.complete_bound == 1 ? "" : "s");
}

}  // namespace

/// explore, without the last word to the progress observer.
static run_report explore_all(std::string_view name, const body_fn& body, const options& opts,
                              const explore_hints& hints) {
  auto t0 = std::chrono::steady_clock::now();
  run_report rep;
  rep.scenario = std::string(name);
  rep.strategy = opts.strategy;
  rep.seed = opts.seed;
  if (!find_strategy(opts.strategy)) make_strategy(opts);  // throws the registry's one-line error
  if (auto err = check_options(opts)) throw std::invalid_argument(*err);

  struct counted {  // the runtime knows an exploration runs (foreign threads are told apart)
    counted() { rt::execution::exploring(1); }
    ~counted() { rt::execution::exploring(-1); }
  } exploring;
  rt::execution::take_foreign_thread();  // forget one from before this exploration
  rt::execution::take_os_thread_site();
  std::uint64_t jobs = opts.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : opts.jobs;
  jobs = std::min<std::uint64_t>({jobs, 256, std::max<std::uint64_t>(opts.schedules, 1)});
  const bool exhaustive = find_strategy(opts.strategy)->exhaustive;
  const shard_slice slice = parse_shard(opts.shard).value_or(shard_slice{});
  // dpor splits its tree between the jobs as between machines (each job a slice of the
  // slice); the other exhaustive strategies explore one tree depth first, on one job.
  if (exhaustive && opts.strategy != "dpor") jobs = 1;
  const bool split_tree = exhaustive && jobs > 1;
  if (slice.count > 1 && exhaustive && opts.strategy != "dpor")
    throw std::invalid_argument(fmt::format("--shard: {} explores one tree depth first and cannot be split yet "
                                            "(random, pct and dpor can)",
                                            opts.strategy));
  rep.shard = opts.shard;
  shared_search s;
  s.name = name;
  s.stop_when_unprovable = hints.stop_when_unprovable;
  // A slice of a sampler's executions: i = I-1, I-1+N, ...; dpor splits its tree itself.
  const std::uint64_t first = exhaustive ? 0 : slice.index, every = exhaustive ? 1 : slice.count;
  s.workers = jobs;
  s.split_tree = split_tree;
  if (jobs == 1) {
    search(s, body, opts, first, every);
  } else if (split_tree) {
    std::vector<std::thread> pool;
    for (std::uint64_t j = 0; j < jobs; ++j)
      pool.emplace_back([&, j] {
        options mine = opts;
        mine.shard = fmt::format("{}/{}", slice.index * jobs + j + 1, slice.count * jobs);
        search(s, body, mine, 0, 1);
      });
    for (auto& t : pool) t.join();
  } else {
    std::vector<std::thread> pool;
    for (std::uint64_t j = 0; j < jobs; ++j)
      pool.emplace_back([&, j] { search(s, body, opts, first + j * every, jobs * every); });
    for (auto& t : pool) t.join();
  }
  rep.stats.executions = s.executions;
  rep.stats.steps = s.steps;
  rep.stats.classes = s.classes;
  rep.stats.exhaustive = s.exhausted_workers == s.workers && !s.interrupted;
  if (!rep.stats.exhaustive && s.estimate > rep.stats.executions) rep.stats.estimated_executions = s.estimate;
  if (!rep.stats.exhaustive && s.knuth_paths != 0) {
    rep.stats.knuth_estimate = s.knuth_mean;
    rep.stats.knuth_half_width = std::sqrt(s.knuth_var);
  }

  std::optional<candidate>& chosen = s.definite ? s.definite : s.potential;
  if (s.foreign) {
    // No verdict about a program the lab did not schedule in full: a finding, not a clean pass.
    const std::string site = rt::execution::take_os_thread_site();
    rep.result = verdict::crash;
    rep.findings = {finding{
        .kind = verdict::crash,
        .message = site.empty()
                       ? std::string("a thread the lab does not run (a std::thread started inside the model?) used "
                                     "a lab primitive: the lab explores only lab::thread, so no verdict about this "
                                     "program can be trusted")
                       : fmt::format("an OS thread was started inside the exploration (pthread_create, as std::thread "
                                     "does) by {}: the lab neither schedules nor sees it, so no verdict about this "
                                     "program can be trusted",
                                     site)}};
    rep.note = "use lab::thread inside lab::model (and lab::mutex, not std::mutex); unmodified programs need the "
               "native backend or a sanitizer";
    rep.stats.elapsed_s = seconds_since(t0);
    return rep;
  }
  if (!chosen) {
    rep.result = verdict::clean;
    if (rep.stats.exhaustive)
      rep.note = rep.stats.classes != 0
                     ? fmt::format("verified: no finding in any of the {} interleaving class{} (explored exhaustively "
                                   "in {} executions; {})",
                                   rep.stats.classes, rep.stats.classes == 1 ? "" : "es", rep.stats.executions,
                                   assumptions(opts))
                     : fmt::format("verified: no finding in any of the {} executions (explored exhaustively; {})",
                                   rep.stats.executions, assumptions(opts));
    else if (s.grew_at != 0)
      rep.note = fmt::format("sampled: no finding in {} executions; execution {} ran {} steps, more than 20 times the "
                             "first one's {}: the executions grow without a bound (a loop with no bound under unfair "
                             "schedules), so the exhaustive search stopped there without a proof",
                             rep.stats.executions, s.grew_at, s.grew_steps, s.first_steps);
    else if (s.timed_out)
      rep.note = fmt::format("sampled: no finding in {} executions; the time budget of {} s ended {}{}",
                             rep.stats.executions, opts.time_budget,
                             exhaustive ? "before the exploration did" : "first", bounded_coverage(s));
    else if (exhaustive && s.cut != 0)
      rep.note = fmt::format("sampled: no finding in {} executions, but {} of them reached the step limit of {} (an "
                             "unbounded loop under a schedule that never runs the thread that ends it): the space is "
                             "not finite, so this is not a proof{}",
                             rep.stats.executions, s.cut.load(), opts.max_steps,
                             s.stop_when_unprovable ? " (the exploration stopped there)" : "");
    else if (s.pruned && s.space_done)
      rep.note = fmt::format("bounded: no finding in any of the {} executions with at most {} preemption{} (every "
                             "such schedule explored; schedules with more were not: raise --preemptions, or use "
                             "dpor for a proof)",
                             rep.stats.executions, s.complete_bound, s.complete_bound == 1 ? "" : "s");
    else if (exhaustive && !s.interrupted && s.estimate > rep.stats.executions)
      rep.note = fmt::format("sampled: no finding in {} executions; the budget ended before the exploration did, "
                             "which by a rough estimate from the subtrees explored so far (often low early on) needs "
                             "about {} in all{} (raise --schedules){}",
                             rep.stats.executions, s.estimate, knuth_text(rep.stats), bounded_coverage(s));
    else if (exhaustive && !s.interrupted)
      rep.note = fmt::format("sampled: no finding in {} executions; the budget ended before the exploration did "
                             "(raise --schedules){}",
                             rep.stats.executions, bounded_coverage(s));
    else
      rep.note = fmt::format("no finding in {} executions", rep.stats.executions);
    rep.measurements = s.samples.summaries();
    rep.measured_executions = rep.stats.executions;
  } else {
    worker w(opts, chosen->weak);
    replay_into(rep, w, *chosen, body, opts, opts.strategy, true);
    if (rep.reproduced && minimisable(chosen->kind) && !s.interrupted) {
      minimised m = minimise(body, opts, *chosen, rep.steps, std::min<std::uint64_t>(opts.schedules, 1000));
      if (m.chosen.choices != chosen->choices) {
        worker again(opts, m.chosen.weak);
        run_report simpler = rep;
        replay_into(simpler, again, m.chosen, body, opts, opts.strategy, true);
        if (simpler.reproduced) rep = std::move(simpler);  // else the first finding stands, unminimised
      }
      if (rep.preemptions == m.preemptions) {
        rep.minimal = m.minimal;
        rep.minimisation = m.summary;
      }
    }
  }
  rep.interrupted = s.interrupted;
  if (slice.count > 1)
    rep.note = fmt::format("shard {}: {}{}", opts.shard,
                           exhaustive ? fmt::format("the subtrees of every {} prefix from the {} ({} executions only "
                                                    "walked past the others'); ",
                                                    ordinal(slice.count), ordinal(slice.index + 1), s.walked.load())
                                      : fmt::format("every {} execution from the {}; ", ordinal(slice.count),
                                                    ordinal(slice.index + 1)),
                           rep.note);
  if (s.weaker_orders) rep.note += std::string(rep.note.empty() ? "" : "; ") + std::string(weaker_note(opts));
  if (s.interrupted)
    rep.note += fmt::format("{}interrupted after {} of {} executions", rep.note.empty() ? "" : "; ",
                            rep.stats.executions, opts.schedules);
  rep.stats.elapsed_s = seconds_since(t0);
  return rep;
}

/// The "auto" plan: dpor, and when it does not settle the question (no finding, not exhausted),
/// random and then pct, each with the whole budget; a time budget is shared by the three.
static run_report explore_plan(std::string_view name, const body_fn& body, const options& given) {
  auto t0 = std::chrono::steady_clock::now();
  options o = given;
  o.strategy = "dpor";
  run_report first = explore(name, body, o, {.stop_when_unprovable = true});
  if (first.result != verdict::clean || first.stats.exhaustive || first.interrupted) return first;
  std::string why = first.note.starts_with("sampled: ") ? first.note.substr(9) : first.note;
  run_report combined;
  std::uint64_t sampled = 0;
  std::string counts;
  for (std::string_view s : {"random", "pct"}) {
    o.strategy = std::string(s);
    if (given.time_budget > 0) {
      o.time_budget = given.time_budget - seconds_since(t0);
      if (o.time_budget < 0.001) break;
    }
    run_report r = explore(name, body, o);
    if (r.result != verdict::clean) {
      r.note = fmt::format("dpor made {} executions without a finding ({}){}{}", first.stats.executions, why,
                           r.note.empty() ? "" : "; ", r.note);
      return r;
    }
    counts += fmt::format("{}{} {}", counts.empty() ? "" : " and ", r.stats.executions, s);
    sampled += r.stats.executions;
    if (combined.strategy.empty()) {
      combined = std::move(r);  // random's measurements: over fair schedules
    } else {
      combined.stats.executions += r.stats.executions;
      combined.stats.steps += r.stats.steps;
      combined.interrupted = combined.interrupted || r.interrupted;
    }
    if (combined.interrupted) break;
  }
  if (combined.strategy.empty()) return first;  // the time budget went to dpor
  combined.strategy = "auto";
  combined.stats.executions += first.stats.executions;
  combined.stats.steps += first.stats.steps;
  combined.stats.classes = first.stats.classes;
  combined.stats.exhaustive = false;
  combined.note = fmt::format("sampled: no finding in {} dpor executions ({}), nor in {} more executions ({}){}",
                              first.stats.executions, why, sampled, counts,
                              combined.interrupted ? "; interrupted" : "");
  combined.stats.elapsed_s = seconds_since(t0);
  return combined;
}

run_report explore(std::string_view name, const body_fn& body, const options& given) {
  return explore(name, body, given, {});
}

run_report explore(std::string_view name, const body_fn& body, const options& given, const explore_hints& hints) {
  if (const strategy_info* plan = find_strategy(given.strategy); plan && plan->plan) {
    if (!given.shard.empty())
      throw std::invalid_argument("--shard: name one strategy (random, pct or dpor): a plan decides per slice");
    return explore_plan(name, body, given);
  }
  // Starvation is a matter of fair schedules: an exhaustive search also runs the unfair ones
  // (one thread retaking a lock for as long as the step limit lets it), where every contended
  // loop "starves" a waiter. There the detector is off, and the report says so.
  options opts = given;
  const strategy_info* info = find_strategy(opts.strategy);
  const bool unfair = info && info->exhaustive && (opts.starve_grants != 0 || opts.starve_ms != 0);
  if (unfair) opts.starve_grants = 0, opts.starve_ms = 0;
  run_report rep = explore_all(name, body, opts, hints);
  if (unfair && rep.result == verdict::clean)
    rep.note += std::string(rep.note.empty() ? "" : "; ") +
                "starvation is judged under fair schedules only (random, pct), not by an exhaustive search";
  if (progress_observer)
    progress_observer({.name = name,
                       .strategy = opts.strategy,
                       .done = rep.stats.executions,
                       .budget = opts.schedules,
                       .elapsed_s = rep.stats.elapsed_s,
                       .finished = true,
                       .result = rep.result});
  return rep;
}

void set_progress(progress_fn f) { progress_observer = std::move(f); }

void request_stop() noexcept { stop_requested.store(true, std::memory_order_relaxed); }
void clear_stop() noexcept { stop_requested.store(false, std::memory_order_relaxed); }
bool stop_was_requested() noexcept { return stop_requested.load(std::memory_order_relaxed); }

run_report observe(std::string_view name, const body_fn& body, const options& opts, std::uint64_t index) {
  if (auto err = check_options(opts)) throw std::invalid_argument(*err);
  run_report rep;
  rep.scenario = std::string(name);
  rep.strategy = opts.strategy;
  rep.seed = opts.seed;
  worker w(opts, true);
  auto strat = make_strategy(opts);
  if (!strat->begin_execution(index)) return rep;
  w.run(body, *strat, {.max_steps = opts.max_steps, .history = true});
  const auto& out = w.ex.outcome();
  const std::optional<finding>& f = out.definite ? out.definite : out.potential;
  rep.result = f ? f->kind : verdict::clean;
  if (f) rep.findings = {*f};
  rep.schedule = index;
  rep.steps = out.steps;
  rep.history = w.ex.history();
  rep.history_at_finding = rep.history.size();
  rep.threads = w.ex.thread_table();
  rep.objects = w.ex.object_table();
  rep.stats.executions = 1;
  rep.stats.steps = rep.steps;
  return rep;
}

run_report replay(const replay_token& token, const body_fn& body, const options& opts) {
  if (auto err = check_options(opts)) throw std::invalid_argument(*err);
  auto t0 = std::chrono::steady_clock::now();
  run_report rep;
  rep.scenario = token.scenario;
  rep.strategy = token.strategy;
  rep.seed = token.seed;
  // Under the model whenever it may be in force: an execution without weaker orders reads the
  // same stores either way.
  worker w(opts, true);
  replay_into(rep, w, candidate{token.execution, token.choices, verdict::clean, true}, body, opts, token.strategy,
              false);
  if (!rep.reproduced)
    rep.note = "the replay token does not fit this program: it asked for choices the token does not hold";
  rep.replayed = true;
  if (w.ex.saw_weaker_orders()) rep.note += std::string(rep.note.empty() ? "" : "; ") + std::string(weaker_note(opts));
  rep.stats.executions = 1;
  rep.stats.steps = rep.steps;
  rep.stats.elapsed_s = seconds_since(t0);
  return rep;
}

}  // namespace lab
