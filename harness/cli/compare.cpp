// The native command and the comparison: which binary runs under which tool, cells scheduled
// on a few threads (children mostly wait: a hang costs its watchdog's limit, not a core).
#include "harness/cli/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "harness/explore/check.h"
#include "harness/explore/explorer.h"
#include "reports/labels.h"

namespace lab::cli {
namespace {

struct column {
  std::string name;
  bool sim = false;
  std::string strategy;  // sim
  native_tool tool = native_tool::none;
  bool jitter = false;
};

column column_named(const std::string& name) {
  if (name == "sim-random") return {name, true, "random"};
  if (name == "sim-pct") return {name, true, "pct"};
  std::string base = name;
  bool jitter = false;
  if (base.ends_with("+jitter")) {
    base.resize(base.size() - 7);
    jitter = true;
  }
  auto tool = base == "stress" ? std::optional<native_tool>(native_tool::none) : parse_native_tool(base);
  if (!tool || base == "none") throw std::invalid_argument(fmt::format("unknown detector '{}' (one of {})", name, fmt::join(all_detectors(), ",")));
  return {name, false, {}, *tool, jitter};
}

/// "file:line", empty when the location is unknown.
std::string loc_text(const std::source_location& loc) {
  std::string w = reports::where(loc);
  return w == "?" ? std::string() : w;
}

reports::comparison_cell sim_cell(const scenario& s, const column& col, const options& base) {
  auto t0 = std::chrono::steady_clock::now();
  // Every variant under every column, whatever it expects: the comparison shows what each
  // strategy finds, not whether the catalog's expectation holds.
  scenario any = s;
  any.found_by = {};
  std::string_view strat = col.strategy;
  variant_check v = check_variant(any, base, {&strat, 1});
  const run_report& r = v.strategies.front().report;
  reports::comparison_cell c{.detector = col.name, .tries = r.stats.executions, .limit = base.schedules};
  if (r.result != verdict::clean) {
    c.first = r.schedule + 1;
    c.verdict = std::string(to_string(r.result));
    c.source = "sim";
    c.title = c.verdict;
    if (!r.findings.empty()) {
      const finding& f = r.findings.front();
      c.where = loc_text(f.loc);
      if (c.where.empty() && !f.accesses.empty()) c.where = loc_text(f.accesses.front().loc);
    }
  }
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

native_request request_for(const scenario& s, native_tool tool, const options& opts, const native_setup& setup) {
  return native_request{.variant = s.full_name(),
                        .tool = tool,
                        .runs = opts.runs,
                        .jitter = opts.jitter,
                        .work_scale = opts.work_scale,
                        .stall_ms = opts.stall_ms,
                        .run_timeout_s = opts.timeout,
                        .budget_s = std::max(120.0, 4 * opts.timeout),
                        .program = {},
                        .suppressions_dir = setup.suppressions_dir};
}

}  // namespace

const std::vector<std::string>& all_detectors() {
  static const std::vector<std::string> d = {"sim-random", "sim-pct", "stress", "stress+jitter",
                                             "tsan",       "tsan+jitter", "helgrind", "drd"};
  return d;
}

std::string binary_for(native_tool tool, const flags& f, const native_setup& setup, std::string& why) {
  const std::string& given = tool == native_tool::tsan ? f.tsan_bin : f.plain_bin;
  if (!given.empty()) {
    why = check_conlab_binary(tool, given);
    return why.empty() ? given : std::string();
  }
  return program_for(tool, setup.self, why);
}

native_result run_native_command(const scenario& s, const options& opts, const flags& f, const native_setup& setup) {
  auto tool = parse_native_tool(f.tool).value_or(native_tool::none);
  native_request rq = request_for(s, tool, opts, setup);
  std::string why;
  rq.program = binary_for(tool, f, setup, why);
  if (rq.program.empty()) {
    native_result r;
    r.variant = rq.variant;
    r.tool = tool;
    r.error = why;
    return r;
  }
  return run_under_tool(rq);
}

std::string render_native(const native_result& r, const options& opts, const flags& fl) {
  if (fl.format == "json") {
    using nlohmann::json;
    auto stack_json = [](const auto& frames) {
      json a = json::array();
      for (const auto& f : frames) a.push_back({{"function", f.function}, {"file", f.file}, {"line", f.line}});
      return a;
    };
    json reports = json::array();
    for (const auto& f : r.reports) {
      json stacks = json::array();
      for (const auto& st : f.stacks) stacks.push_back({{"heading", st.heading}, {"frames", stack_json(st.frames)}});
      reports.push_back({{"tool", f.tool}, {"title", f.title}, {"verdict", to_string(f.kind)}, {"stacks", stacks}});
    }
    json threads = json::array();
    for (const auto& t : r.stacks) threads.push_back({{"thread", t.name}, {"frames", stack_json(t.frames)}});
    json j = {{"variant", r.variant},       {"tool", to_string(r.tool)},   {"detector", r.column()},
              {"jitter", r.jitter},         {"runs", opts.runs},           {"runs_started", r.runs_started},
              {"found", r.first.has_value()}, {"reports", reports},        {"hang_stacks", threads},
              {"budget_exhausted", r.budget_exhausted}, {"interrupted", r.interrupted}, {"seconds", r.seconds}};
    if (r.first)
      j["first"] = {{"run", r.first->run},     {"verdict", to_string(r.first->kind)}, {"source", r.first->source},
                    {"title", r.first->title}, {"where", r.first->where},             {"message", r.first->message}};
    return j.dump(2) + "\n";
  }
  std::string t;
  std::string what = fmt::format("{} under {}{}", r.variant, r.tool == native_tool::none ? "no tool (stress)" : to_string(r.tool),
                                 r.jitter > 0 ? fmt::format(", jitter {}", r.jitter) : std::string());
  if (!r.first) {
    t += fmt::format("conlab: {}: nothing found in {} run(s){}\n", what, r.runs_started,
                     r.interrupted        ? fmt::format(" (interrupted: incomplete, not a pass)")
                     : r.budget_exhausted ? std::string(" (stopped at the time budget: incomplete, not a pass)")
                                          : std::string());
  } else {
    const auto& d = *r.first;
    t += "==================\n";
    t += fmt::format("WARNING: conlab native: {} in run {} of {} ({})\n", d.title, d.run, opts.runs, d.source);
    t += fmt::format("  {}\n", d.message);
    if (!d.where.empty()) t += fmt::format("  at {}\n", d.where);
    // The frames in the project's sources only: the tool's full text is in --format json.
    auto print_frames = [&t](const std::vector<frame>& frames) {
      bool any = false;
      for (const auto& f : frames) {
        if (!is_project_frame(f)) continue;
        std::string fn = f.function.size() > 80 ? f.function.substr(0, 77) + "..." : f.function;
        t += fmt::format("    {} {}:{}\n", fn, f.file, f.line);
        any = true;
      }
      if (!any) t += "    (no frame in the project's sources)\n";
    };
    if (!r.reports.empty())
      for (const auto& st : r.reports.front().stacks) {
        t += fmt::format("\n  {}:\n", without_addresses(st.heading));
        print_frames(st.frames);
      }
    for (const auto& th : r.stacks) {
      t += fmt::format("\n  {}:\n", th.name);
      print_frames(th.frames);
    }
    t += fmt::format("\nSUMMARY: conlab native: {} {} in run {} ({})\n", d.title, what, d.run, d.source);
    t += "==================\n";
  }
  t += fmt::format("Repeat: conlab native {} --tool {} --runs {}{}\n", r.variant, to_string(r.tool), opts.runs,
                   r.jitter > 0 ? fmt::format(" --jitter {}", r.jitter) : std::string());
  return t;
}

std::vector<std::string> detector_names(const flags& f) {
  std::vector<std::string> names;
  std::string wanted = f.detectors == "all" ? fmt::format("{}", fmt::join(all_detectors(), ",")) : f.detectors;
  for (std::string_view rest = wanted; !rest.empty();) {
    auto comma = rest.find(',');
    std::string name(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (name.empty()) continue;
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw std::invalid_argument(fmt::format("--detectors names {} twice", name));
    names.push_back(std::move(name));
  }
  return names;
}

reports::comparison compare(const std::vector<const scenario*>& chosen, const options& opts, const flags& f,
                            const native_setup& setup, const cell_announcer& progress) {
  std::vector<column> columns;
  for (const std::string& name : detector_names(f)) columns.push_back(column_named(name));
  if (columns.empty()) throw std::invalid_argument("--detectors names no detector");

  reports::comparison c;
  for (const auto& col : columns) c.detectors.push_back(col.name);
  c.runs = opts.runs;
  c.fixed_runs = f.fixed_runs;
  c.schedules = opts.schedules;
  c.run_timeout_s = opts.timeout;
  c.jitter = opts.jitter;
  c.machine = fmt::format("{} cores", std::max(1u, std::thread::hardware_concurrency()));
  for (const scenario* s : chosen) {
    reports::comparison_row row{.scenario = std::string(s->name), .variant = std::string(s->variant),
                                .failure_mode = std::string(s->failure_mode), .expected = std::string(to_string(s->expected))};
    for (const auto& col : columns)
      row.cells.push_back({.detector = col.name, .ran = false, .why_not = "interrupted before it ran"});
    c.rows.push_back(std::move(row));
  }

  std::mutex print_mutex;
  std::size_t total = chosen.size() * columns.size();
  std::atomic<std::size_t> done{0};
  auto announce = [&](const reports::comparison_row& row, const reports::comparison_cell& cell) {
    if (!progress) return;
    std::lock_guard g(print_mutex);
    progress(fmt::format("compare: [{}/{}] {}/{} {}: {}\n", ++done, total, row.scenario, row.variant, cell.detector,
                         !cell.ran ? "n/a (" + cell.why_not + ")"
                         : cell.first ? fmt::format("{} at {} ({})", cell.title, *cell.first, cell.source)
                                      : fmt::format("nothing in {}", cell.tries)),
             cell.first.has_value());
  };

  // Sim cells here, one after another (each explores on this thread).
  for (std::size_t r = 0; r < chosen.size(); ++r)
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (!columns[k].sim || stop_was_requested()) continue;
      c.rows[r].cells[k] = sim_cell(*chosen[r], columns[k], opts);
      announce(c.rows[r], c.rows[r].cells[k]);
    }

  // Native cells: binaries first (a missing one marks its column, once), then the pool.
  std::vector<std::pair<std::size_t, std::size_t>> work;
  std::vector<std::string> program(columns.size()), why(columns.size());
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (columns[k].sim) continue;
    program[k] = binary_for(columns[k].tool, f, setup, why[k]);
    for (std::size_t r = 0; r < chosen.size(); ++r) {
      if (program[k].empty()) {
        c.rows[r].cells[k].why_not = why[k];
        announce(c.rows[r], c.rows[r].cells[k]);
      } else {
        work.emplace_back(r, k);
      }
    }
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (;;) {
      std::size_t i = next++;
      if (i >= work.size() || stop_was_requested()) return;
      auto [r, k] = work[i];
      const scenario& s = *chosen[r];
      options o = opts;
      o.runs = s.expected == verdict::clean ? f.fixed_runs : opts.runs;
      if (!columns[k].jitter) o.jitter = 0;
      // Under valgrind's 20-50x slowdown a fixed loop's short steps pass any stall threshold
      // meant for real time: the lab's own timing check is off there (the tools do not time).
      if (columns[k].tool == native_tool::helgrind || columns[k].tool == native_tool::drd) o.stall_ms = 0;
      native_request rq = request_for(s, columns[k].tool, o, setup);
      rq.program = program[k];
      native_result res = run_under_tool(rq);
      reports::comparison_cell cell{.detector = columns[k].name, .tries = res.runs_started, .limit = o.runs,
                                    .seconds = res.seconds};
      if (!res.error.empty()) {
        cell.ran = false;
        cell.why_not = res.error;
      } else if (res.first) {
        cell.first = res.first->run;
        cell.verdict = std::string(to_string(res.first->kind));
        cell.source = res.first->source;
        cell.title = res.first->title;
        cell.where = res.first->where;
      }
      c.rows[r].cells[k] = cell;  // each cell has one writer; read after the join
      announce(c.rows[r], cell);
    }
  };
  unsigned n = opts.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : static_cast<unsigned>(opts.jobs);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::min<std::size_t>(n, work.size()); ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  c.interrupted = stop_was_requested();
  return c;
}

}  // namespace lab::cli
