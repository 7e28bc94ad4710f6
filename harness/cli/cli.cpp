#include "harness/cli/cli.h"

#include <fmt/format.h>

#include <csignal>
#include <cstdlib>
#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/cli/compare.h"
#include "harness/cli/exercise.h"
#include "harness/cli/play.h"
#include "harness/cli/flags.h"
#include "harness/cli/progress.h"
#include "harness/cli/merge.h"
#include "harness/explore/check.h"
#include "harness/explore/explorer.h"
#include "harness/explore/native_runner.h"
#include "harness/scheduler/registry.h"
#include "reports/comparison.h"
#include "reports/json.h"
#include "reports/labels.h"
#include "reports/markdown.h"
#include "reports/report_folder.h"
#include "reports/text.h"
#include "scenarios/catalog.h"

namespace lab::cli {
namespace {

/// Thrown for bad usage: main prints the message as one line and exits 2.
struct usage_error {
  std::string message;
};

struct parsed {
  std::vector<std::string> positional;
  options opts;
  cli::flags flags;
  bool json_flag = false;   ///< --json (list)
  bool force = false;       ///< --force (report, exercise)
  bool solution = false;    ///< --solution (exercise start)
  bool help = false;        ///< --help
  std::FILE* terminal = nullptr;  ///< stderr when it is a terminal: where the progress line goes
  std::set<std::string, std::less<>> given;  ///< options set on the command line (members)
  bool was_given(std::string_view flag) const { return given.contains(flag); }
};

// The groups of options the commands take (members of options.inc and flags.inc).
constexpr std::string_view explore_opts =
    "strategy schedules seed depth preemptions time_budget memory_model max_steps jobs spurious starve_grants starve_ms "
    "stall_ms "
    "livelock_steps";
constexpr std::string_view detector_opts = "max_steps starve_grants starve_ms stall_ms livelock_steps";
constexpr std::string_view native_opts = "runs work_scale jitter timeout";

/// One command: what it takes and what it does. `accepts` lists the options it reads (groups
/// above, members, and the bare flags json, force); any other is an error, not ignored.
struct command {
  std::string_view name;
  std::string_view synopsis;
  std::string_view summary;
  std::vector<std::string_view> accepts;
};

const std::vector<command>& commands() {
  static const std::vector<command> all = {
      {"list", "[--json]", "every scenario, its failure mode and expected verdict", {"json", "format"}},
      {"run", "NAME/VARIANT [options]", "explore one variant; print the report of the first finding",
       {explore_opts, native_opts, "backend format shard"}},
      {"merge", "FILE... [--format json]",
       "join the JSON of the slices of one exploration (conlab run --shard I/N --format json, one per machine) into "
       "one verdict: verified only when every slice explored its part to the end",
       {"format"}},
      {"replay", "TOKEN [options]", "re-run exactly the interleaving a report's token names",
       {detector_opts, "format"}},
      {"check", "[NAME...] [options]", "broken variants must give their verdict, fixed ones none", {explore_opts}},
      {"native", "NAME/VARIANT [options]",
       "real threads in a child, --runs N times under --tool none|tsan|helgrind|drd, with a watchdog taking "
       "every thread's stack at a hang",
       {native_opts, "stall_ms tool tsan_bin plain_bin format"}},
      {"compare", "[NAME...] [options]",
       "every variant under every detector (sim random and PCT, stress, TSan, helgrind, DRD; with and without "
       "--jitter): found or not, after how many runs, false alarms (Markdown, or JSON with --format json; "
       "--out DIR writes both)",
       {explore_opts, native_opts, "tsan_bin plain_bin fixed_runs detectors out format"}},
      {"report", "[NAME...] [options]",
       "the report folder (--out, default reports-out): index.md first, a page per scenario, report.html with "
       "timelines, report.json, report.sarif, Chrome traces; --comparison FILE merges what conlab compare found",
       {explore_opts, "out comparison sources force"}},
      {"play", "NAME/VARIANT | --replay TOKEN [options]",
       "you are the scheduler: step the threads of a variant one choice at a time (full screen; keys from stdin "
       "when it is not a terminal) until it fails; the goal's report and replay token end the game",
       {"replay seed max_steps memory_model spurious"}},
      {"exercise", "list|start|check|hint|pack [NAME] [options]",
       "the workshop: list the exercises; start NAME writes your copy (exercises/NAME/, --dir D); check NAME builds "
       "it, explores every interleaving, runs it under ThreadSanitizer and checks it still does its job (PASS/FAIL, "
       "--format json); hint NAME gives the next hint; pack --out DIR writes a workshop folder with a handout",
       {"format dir level out force solution runs schedules"}},
  };
  return all;
}

const command* find_command(std::string_view name) {
  for (const auto& c : commands())
    if (c.name == name) return &c;
  return nullptr;
}

bool accepts(const command& c, std::string_view member) {
  for (std::string_view group : c.accepts)
    for (std::string_view rest = group; !rest.empty();) {
      auto sp = rest.find(' ');
      if (rest.substr(0, sp) == member) return true;
      rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    }
  return false;
}

std::string member_of(std::string_view flag) {
  std::string m(flag);
  std::replace(m.begin(), m.end(), '-', '_');
  return m;
}

std::string general_help() {
  std::string out = "conlab: a concurrency bug lab\n\nusage:\n";
  for (const auto& c : commands()) {
    std::string head = fmt::format("  conlab {} {}", c.name, c.synopsis);
    // The summary wrapped at 100 columns under the command.
    std::string line = fmt::format("{:<39}", head);
    if (head.size() >= 39) line = head + "\n" + std::string(39, ' ');
    std::size_t width = line.size() - line.rfind('\n') - 1;
    for (std::string_view rest = c.summary; !rest.empty();) {
      auto sp = rest.find(' ');
      std::string_view word = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
      if (width + word.size() + 1 > 100) {
        line += "\n" + std::string(39, ' ');
        width = 39;
      } else if (width > 39) {
        line += ' ';
        ++width;
      }
      line += word;
      width += word.size();
    }
    out += line + "\n";
  }
  out += "  conlab help [COMMAND|strategies]     this text; one command's options; the strategies\n"
         "  conlab COMMAND --help                the same as conlab help COMMAND\n"
         "  conlab --version                     the version of this build\n\n"
         "exit codes: 0 clean / all met, 1 finding / unmet expectation, 2 bad usage or input, 3 internal "
         "error,\n            4 incomplete (interrupted: what was done is reported, but it is not a pass)\n\n"
         "exploration options (the commands that explore; lab::options in code):\n";
  out += options_help();
  out += "\ncommand flags:\n" + flags_help();
  out += "  --json           conlab list: the list as JSON (as --format json)\n"
         "  --force          conlab report: write into a folder that is not empty and not a report folder;\n"
         "                   conlab exercise start/pack: replace the learner's file / write into a folder\n"
         "  --solution       conlab exercise start: write the scenario's fix instead of the broken program\n";
  return out;
}

std::string command_help(const command& c) {
  std::string out = fmt::format("usage: conlab {} {}\n\n{}\n", c.name, c.synopsis, c.summary);
  std::string lines;
  for (std::string_view group : c.accepts)
    for (std::string_view rest = group; !rest.empty();) {
      auto sp = rest.find(' ');
      std::string member(rest.substr(0, sp));
      rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
      if (member == "json") lines += "  --json           the list as JSON\n";
      else if (member == "force") lines += "  --force          write into a folder that is not empty and not a report folder (exercise: replace your file)\n";
      else if (member == "solution") lines += "  --solution       exercise start: write the scenario's fix instead of the broken program\n";
      else lines += !option_help(member).empty() ? option_help(member) : flag_help(member);
    }
  if (!lines.empty()) out += "\noptions:\n" + lines;
  return out;
}

std::string strategies_help() {
  std::string out = "strategies (--strategy NAME):\n";
  for (const auto& st : strategies())
    out += fmt::format("  {:<8} {}{}\n", st.name, st.help, st.checks ? " [conlab check runs it]" : "");
  return out;
}

parsed parse(const command& cmd, int argc, const char* const* argv, int first) {
  parsed p;
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    if (!a.starts_with("--")) {
      p.positional.emplace_back(a);
      continue;
    }
    a.remove_prefix(2);
    if (a == "help") {
      p.help = true;
      continue;
    }
    std::string_view flag = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      flag = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    std::string member = member_of(flag);
    bool bare = member == "json" || member == "force" || member == "solution";
    if (!bare && !is_option(flag) && !is_flag(flag))
      throw usage_error{fmt::format("unknown option --{} (see 'conlab help {}')", flag, cmd.name)};
    if (!accepts(cmd, member))
      throw usage_error{fmt::format("conlab {} does not take --{} (see 'conlab help {}')", cmd.name, flag, cmd.name)};
    if (!p.given.insert(member).second) throw usage_error{fmt::format("--{} is given twice", flag)};
    if (bare) {
      if (has_value) throw usage_error{fmt::format("--{} takes no value", flag)};
      (member == "json" ? p.json_flag : member == "force" ? p.force : p.solution) = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) throw usage_error{fmt::format("option --{} needs a value", flag)};
      value = argv[++i];
    }
    auto err = is_option(flag) ? set_option(p.opts, flag, value) : set_flag(p.flags, flag, value);
    if (err) throw usage_error{*err};
  }
  if (!find_strategy(p.opts.strategy))
    throw usage_error{fmt::format("--strategy: '{}' is not one of {} (see 'conlab help strategies')", p.opts.strategy,
                                  strategy_names())};
  return p;
}

const scenario& lookup(std::string_view name) {
  if (const scenario* s = find_scenario(name)) return *s;
  throw usage_error{fmt::format("unknown scenario '{}' (see 'conlab list')", name)};
}

/// The selection of `conlab check` and `conlab compare`: every variant, or those named.
/// How many explorations checking `chosen` under `strategies` makes (those a variant expects).
std::size_t explorations_of(const std::vector<const scenario*>& chosen, std::span<const std::string_view> strategies) {
  std::size_t n = 0;
  for (const scenario* s : chosen)
    for (std::string_view st : strategies) n += s->expects(st) ? 1 : 0;
  return n;
}

std::vector<const scenario*> choose(const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (std::none_of(catalog().begin(), catalog().end(), [&](const scenario& s) { return n == s.name || n == s.full_name(); }))
      throw usage_error{fmt::format("unknown scenario '{}' (see 'conlab list')", n)};
  std::vector<const scenario*> chosen;
  for (const auto& s : catalog()) {
    bool wanted = names.empty();
    for (const auto& n : names) wanted |= (n == s.name || n == s.full_name());
    if (wanted) chosen.push_back(&s);
  }
  return chosen;
}

void print_report(std::FILE* out, const run_report& r, const cli::flags& f) {
  std::string text = f.format == "json" ? reports::render_json(r) : reports::render_text(r);
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out);
}

int cmd_list(const parsed& p, std::FILE* out) {
  if (p.json_flag || p.flags.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& s : catalog())
      j.push_back({{"scenario", s.name},         {"variant", s.variant}, {"failure_mode", s.failure_mode},
                   {"expected", to_string(s.expected)}, {"summary", s.summary}, {"readme", s.readme()}});
    fmt::print(out, "{}\n", j.dump(2));
    return ok;
  }
  fmt::print(out, "{:<36} {:<17} {}\n", "SCENARIO", "EXPECTED", "FAILURE MODE / WHAT IT DOES");
  for (const auto& s : catalog())
    fmt::print(out, "{:<36} {:<17} {}: {}\n", s.full_name(), to_string(s.expected), s.failure_mode, s.summary);
  return ok;
}

int cmd_run(const parsed& p, std::FILE* out) {
  if (p.positional.size() != 1) throw usage_error{"run takes exactly one NAME/VARIANT (see 'conlab list')"};
  const scenario& s = lookup(p.positional[0]);
  if (p.flags.backend == "native") {
    bool hung = false;
    run_report r = run_native(s.full_name(), s.body, p.opts, hung);
    print_report(out, r, p.flags);
    const int code = r.result != verdict::clean ? found : r.interrupted ? incomplete : ok;
    // A hung run's threads cannot be stopped: leave without running destructors under them.
    if (hung) {
      std::fflush(out);
      std::_Exit(code);
    }
    return code;
  }
  std::optional<progress_line> progress;
  if (p.terminal) progress.emplace(p.terminal, "run", 1, true);
  run_report r = explore(s.full_name(), s.body, p.opts);
  progress.reset();
  print_report(out, r, p.flags);
  if (r.result != verdict::clean) return found;
  return r.interrupted ? incomplete : ok;
}

int cmd_play(const parsed& p, std::FILE* out) {
  std::optional<replay_token> token;
  const scenario* s = nullptr;
  if (!p.flags.replay.empty()) {
    std::string error;
    token = decode_token(p.flags.replay, error);
    if (!token) throw usage_error{"--replay: " + error};
    s = find_scenario(token->scenario);
    if (!s) throw usage_error{fmt::format("the token names scenario '{}', which this build does not have", token->scenario)};
  }
  if (p.positional.size() > 1) throw usage_error{"play takes one NAME/VARIANT (see 'conlab list')"};
  if (p.positional.size() == 1) {
    const scenario* named = &lookup(p.positional[0]);
    if (s && s != named) throw usage_error{fmt::format("the token is for {}, not {}", s->full_name(), named->full_name())};
    s = named;
  }
  if (!s) throw usage_error{"play takes a NAME/VARIANT (see 'conlab list') or --replay TOKEN"};
  play_args a{.target = s, .token = token ? &*token : nullptr, .opts = p.opts};
  a.scripted = ::isatty(STDIN_FILENO) != 1 || ::isatty(::fileno(out)) != 1;
#ifdef CONLAB_SOURCE_ROOT
  a.source_root = CONLAB_SOURCE_ROOT;
#endif
  return play(a, out);
}

int cmd_merge(const parsed& p, std::FILE* out) {
  merged_run m = merge_runs(p.positional);
  fmt::print(out, "{}", p.flags.format == "json" ? m.json : m.text);
  return m.finding ? found : m.incomplete ? incomplete : ok;
}

int cmd_replay(const parsed& p, std::FILE* out) {
  if (p.positional.size() != 1) throw usage_error{"replay takes exactly one TOKEN"};
  std::string error;
  auto token = decode_token(p.positional[0], error);
  if (!token) throw usage_error{error};
  const scenario* s = find_scenario(token->scenario);
  if (!s) throw usage_error{fmt::format("the token names scenario '{}', which this build does not have", token->scenario)};
  run_report r = replay(*token, s->body, p.opts);
  if (!r.reproduced) throw usage_error{fmt::format("the token does not fit {}: {}", token->scenario, r.note)};
  print_report(out, r, p.flags);
  return r.result == verdict::clean ? ok : found;
}

int cmd_check(parsed p, std::FILE* out) {
  std::vector<const scenario*> chosen = choose(p.positional);
  if (!p.was_given("schedules")) p.opts.schedules = 10000;
  // The registry's checking strategies unless one was asked for: a fixed variant must be clean
  // under each.
  std::vector<std::string_view> strategies(checking_strategies().begin(), checking_strategies().end());
  if (p.was_given("strategy")) strategies = {p.opts.strategy};
  int passed = 0, failed = 0, skipped = 0, cut = 0;
  std::size_t done = 0;
  std::optional<progress_line> progress;
  if (p.terminal) progress.emplace(p.terminal, "check", explorations_of(chosen, strategies), true);
  for (const scenario* s : chosen) {
    if (stop_was_requested()) break;
    // Without --strategy, the library's plan: dpor first, the samplers only where it did not verify.
    variant_check v = p.was_given("strategy") ? check_variant(*s, p.opts, strategies) : check_variant(*s, p.opts);
    ++done;
    // The lines below go where the progress line was; it comes back under them.
    if (progress) progress->wipe();
    for (const strategy_check& c : v.strategies) {
      if (!c.needed) {  // dpor verified it: nothing left to sample (its line says "verified")
        if (progress) progress->drop_units(1);
        continue;
      }
      if (!c.applies) {
        fmt::print(out, "skip {:<36} {:<7} {}\n", s->full_name(), c.strategy, c.why_not);
        ++skipped;
        continue;
      }
      const run_report& r = c.report;
      if (r.interrupted && r.result == verdict::clean) {  // cut short: neither a pass nor a failure
        fmt::print(out, "STOP {:<36} {:<7} interrupted after {} of {} executions\n", s->full_name(), c.strategy,
                   r.stats.executions, p.opts.schedules);
        ++cut;
        continue;
      }
      std::string detail = coverage(r);
      if (r.result != verdict::clean)
        detail = fmt::format("{} in execution {}{}", to_string(r.result), r.schedule + 1,
                                             r.reproduced ? ", replayed" : ", NOT reproduced");
      for (const auto& m : r.measurements)
        detail += fmt::format("; {} p50 {:.3f} ms, p99 {:.3f} ms", m.name, static_cast<double>(m.p50_ns) / 1e6,
                              static_cast<double>(m.p99_ns) / 1e6);
      fmt::print(out, "{} {:<36} {:<7} expected {:<21} {}\n", c.met ? "ok  " : "FAIL", s->full_name(), c.strategy,
                 to_string(s->expected), detail);
      (c.met ? passed : failed) += 1;
    }
    std::fflush(out);
    if (progress) progress->redraw();
  }
  progress.reset();
  std::size_t not_run = chosen.size() - done;
  fmt::print(out, "check: {} passed, {} failed{}{}{}\n", passed, failed,
             skipped ? fmt::format(", {} skipped", skipped) : std::string(),
             cut ? fmt::format(", {} interrupted", cut) : std::string(),
             not_run ? fmt::format(", {} variant(s) not run", not_run) : std::string());
  if (failed != 0) return found;
  return cut != 0 || not_run != 0 ? incomplete : ok;
}

/// Creates `dir` if needed and checks a file can be written there; one line and exit 2 if not.
void writable_folder_or_throw(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto probe_path = dir / ".conlab-write-test";
  std::ofstream probe(probe_path);
  if (ec || !probe) throw usage_error{fmt::format("cannot write the folder {}", dir.string())};
  probe.close();
  std::filesystem::remove(probe_path, ec);
}

native_setup setup_here() {
  native_setup s;
  std::error_code ec;
  s.self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
#ifdef CONLAB_SANITIZERS_DIR
  if (std::filesystem::is_directory(CONLAB_SANITIZERS_DIR, ec)) s.suppressions_dir = CONLAB_SANITIZERS_DIR;
#endif
  return s;
}

int cmd_native(parsed p, std::FILE* out) {
  if (p.positional.size() != 1) throw usage_error{"native takes exactly one NAME/VARIANT (see 'conlab list')"};
  const scenario& s = lookup(p.positional[0]);
  if (!p.was_given("runs")) p.opts.runs = 10;
  if (!p.was_given("stall_ms")) p.opts.stall_ms *= p.opts.work_scale;  // shrunk work, shrunk stalls
  native_result r = run_native_command(s, p.opts, p.flags, setup_here());
  if (!r.error.empty()) throw usage_error{r.error};
  std::string text = render_native(r, p.opts, p.flags);
  std::fwrite(text.data(), 1, text.size(), out);
  if (r.first) return found;
  return r.interrupted || r.budget_exhausted || stop_was_requested() ? incomplete : ok;
}

int cmd_compare(parsed p, std::FILE* out, std::FILE* err) {
  std::vector<const scenario*> chosen = choose(p.positional);
  // Defaults sized for the whole catalog on a small machine: see README, "Detector comparison".
  if (!p.was_given("runs")) p.opts.runs = 10;
  if (!p.was_given("timeout")) p.opts.timeout = 5;
  if (!p.was_given("jitter")) p.opts.jitter = 0.3;
  if (!p.was_given("work_scale")) p.opts.work_scale = 0.1;
  if (!p.was_given("jobs")) p.opts.jobs = 0;
  if (!p.was_given("stall_ms")) p.opts.stall_ms *= p.opts.work_scale;  // shrunk work, shrunk stalls
  if (!p.flags.out.empty()) writable_folder_or_throw(p.flags.out);  // before minutes of work
  reports::comparison c;
  std::optional<progress_line> progress;
  if (p.terminal) {
    std::size_t columns = 0;
    try {
      columns = detector_names(p.flags).size();
    } catch (const std::invalid_argument& e) {
      throw usage_error{e.what()};
    }
    progress.emplace(p.terminal, "compare", chosen.size() * columns, false);
  }
  auto announce = [&](const std::string& line, bool finding) {
    if (progress) {
      progress->print_above(line);
      progress->unit_done(finding);
    } else {
      fmt::print(err, "{}", line);
      std::fflush(err);
    }
  };
  try {
    c = compare(chosen, p.opts, p.flags, setup_here(), announce);
  } catch (const std::invalid_argument& e) {
    throw usage_error{e.what()};
  }
  progress.reset();
  std::string md = reports::render_comparison_markdown(c), js = reports::render_comparison_json(c);
  const std::string& text = p.flags.format == "json" ? js : md;
  std::fwrite(text.data(), 1, text.size(), out);  // first: the table is never lost to a write error
  std::fflush(out);
  if (!p.flags.out.empty()) {
    for (auto [name, body] : {std::pair{"comparison.md", &md}, std::pair{"comparison.json", &js}}) {
      auto path = std::filesystem::path(p.flags.out) / name;
      std::ofstream f(path, std::ios::binary);
      f << *body;
      if (!f.good()) throw usage_error{fmt::format("cannot write {} (the table is on stdout)", path.string())};
    }
  }
  return c.interrupted ? incomplete : ok;
}

int cmd_report(parsed p, std::FILE* out, std::FILE* err) {
  std::vector<const scenario*> chosen = choose(p.positional);
  if (!p.was_given("schedules")) p.opts.schedules = 10000;  // as conlab check
  std::filesystem::path dir = p.flags.out.empty() ? std::filesystem::path("reports-out") : std::filesystem::path(p.flags.out);
  std::optional<reports::comparison> cmp;
  if (!p.flags.comparison.empty()) {
    std::ifstream in(p.flags.comparison);
    if (!in) throw usage_error{fmt::format("cannot read the comparison {}", p.flags.comparison)};
    std::stringstream text;
    text << in.rdbuf();
    try {
      cmp = reports::parse_comparison_json(text.str());
    } catch (const std::invalid_argument& e) {
      throw usage_error{fmt::format("{}: {}", p.flags.comparison, e.what())};
    }
  }
  // Before minutes of exploring: the folder must be ours (or empty, or --force) and writable.
  reports::claim_report_folder(dir, p.force);
  std::filesystem::path sources = p.flags.sources;
  std::error_code ec;
  if (!sources.empty() && !std::filesystem::is_directory(sources, ec))
    throw usage_error{fmt::format("--sources: {} is not a folder", sources.string())};
#ifdef CONLAB_SOURCE_ROOT
  if (sources.empty()) sources = CONLAB_SOURCE_ROOT;
#endif
  if (sources.empty() || !std::filesystem::is_directory(sources, ec)) sources = std::filesystem::current_path();
  std::optional<progress_line> progress;
  if (p.terminal) progress.emplace(p.terminal, "report", explorations_of(chosen, checking_strategies()), true);
  // On a terminal the progress line names each variant; elsewhere one line per variant.
  reports::lab_report r =
      reports::build_lab_report(chosen, p.opts, sources, cmp ? &*cmp : nullptr, progress ? nullptr : err);
  progress.reset();
  std::vector<std::string> written;
  try {
    written = reports::write_report_folder(r, dir, cmp ? &*cmp : nullptr);
  } catch (const std::runtime_error& e) {
    throw usage_error{printable(e.what())};
  }
  std::string text = reports::render_index_text(r, ::isatty(::fileno(out)) == 1);
  std::fwrite(text.data(), 1, text.size(), out);
  fmt::print(out, "conlab report: {} files in {}/ - open index.md (or report.html) first\n", written.size(), dir.string());
  // After an interruption the variant being explored was cut short: its verdict is no failure.
  // (the builder stops before the next variant, so the cut one is in the last scenario).
  bool all_met = true;
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants) all_met = all_met && (v.met || (r.interrupted && &s == &r.scenarios.back()));
  if (!all_met) return found;
  return r.interrupted ? incomplete : ok;
}

extern "C" void on_interrupt(int) { request_stop(); }

}  // namespace

int main(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  // Ctrl-C or a CI timeout's SIGTERM: stop exploring and print what was found so far.
  clear_stop();
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  try {
    std::string_view cmd = argc > 1 ? argv[1] : "help";
    if (cmd == "--version" || cmd == "version") {
      // The sanitizer is part of the answer: `conlab native --tsan-bin` checks it (native_tools.h).
      fmt::print(out, "conlab {} (sanitizer: {})\n", CONLAB_VERSION,
                 this_build_sanitizer().empty() ? "none" : this_build_sanitizer());
      return ok;
    }
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
      std::string_view what = argc > 2 ? argv[2] : "";
      if (what == "strategies") fmt::print(out, "{}", strategies_help());
      else if (const command* c = find_command(what)) fmt::print(out, "{}", command_help(*c));
      else if (what.empty()) fmt::print(out, "{}", general_help());
      else throw usage_error{fmt::format("no help on '{}' (see 'conlab help')", what)};
      return ok;
    }
    const command* c = find_command(cmd);
    if (!c) throw usage_error{fmt::format("unknown command '{}' (see 'conlab help')", cmd)};
    parsed p = parse(*c, argc, argv, 2);
    if (::isatty(::fileno(err)) == 1) p.terminal = err;  // nothing extra when not a terminal
    if (p.help) {
      fmt::print(out, "{}", command_help(*c));
      return ok;
    }
    if (cmd == "list") return cmd_list(p, out);
    if (cmd == "run") return cmd_run(p, out);
    if (cmd == "replay") return cmd_replay(p, out);
    if (cmd == "merge") return cmd_merge(p, out);
    if (cmd == "play") return cmd_play(p, out);
    if (cmd == "check") return cmd_check(std::move(p), out);
    if (cmd == "native") return cmd_native(std::move(p), out);
    if (cmd == "compare") return cmd_compare(std::move(p), out, err);
    if (cmd == "exercise")
      return exercise_command({std::move(p.positional), p.opts, p.flags, p.solution, p.force, std::move(p.given)}, out, err);
    return cmd_report(std::move(p), out, err);
  } catch (const usage_error& e) {
    fmt::print(err, "conlab: {}\n", printable(e.message));
    return usage;
  } catch (const std::invalid_argument& e) {  // the library's one-line errors for bad input
    fmt::print(err, "conlab: {}\n", printable(e.what()));
    return usage;
  } catch (const std::exception& e) {
    fmt::print(err, "conlab: internal error: {}\n", printable(e.what()));
    return internal;
  }
}

}  // namespace lab::cli
