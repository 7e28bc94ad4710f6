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
#include "harness/cli/flags.h"
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

constexpr std::string_view usage_text = R"(conlab: a concurrency bug lab

usage:
  conlab list [--json]                 every scenario, its failure mode and expected verdict
  conlab run NAME/VARIANT [options]    explore one variant; print the report of the first finding
  conlab replay TOKEN [--format F]     re-run exactly the interleaving a report's token names
  conlab check [NAME...] [options]     broken variants must give their verdict, fixed ones none
  conlab native NAME/VARIANT [options] real threads in a child, --runs N times under --tool
                                       none|tsan|helgrind|drd, a watchdog taking stacks at a hang
  conlab compare [NAME...] [options]   every variant under every detector (sim random and PCT,
                                       stress, TSan, helgrind, DRD; with and without --jitter):
                                       found or not, after how many runs, false alarms (Markdown,
                                       or JSON with --format json; --out DIR writes both)
  conlab report [NAME...] [options]    the report folder (--out, default reports-out): index.md first,
                                       a page per scenario, report.html with timelines, report.json,
                                       report.sarif, Chrome traces; --comparison FILE merges what
                                       conlab compare found
  conlab help [strategies]             this text; the strategies with what each does

exit codes: 0 clean / all met, 1 finding / unmet expectation, 2 bad usage or input, 3 internal error

exploration options (every command that explores; lab::options in code):
)";

/// Thrown for bad usage: main prints the message as one line and exits 2.
struct usage_error {
  std::string message;
};

struct parsed {
  std::vector<std::string> positional;
  options opts;
  cli::flags flags;
  bool json_flag = false;
  std::set<std::string, std::less<>> given;  ///< options set on the command line
  bool was_given(std::string_view flag) const { return given.contains(flag); }
};

parsed parse(int argc, const char* const* argv, int first) {
  parsed p;
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    if (!a.starts_with("--")) {
      p.positional.emplace_back(a);
      continue;
    }
    a.remove_prefix(2);
    if (a == "json") {
      p.json_flag = true;
      continue;
    }
    std::string_view flag = a, value;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      flag = a.substr(0, eq);
      value = a.substr(eq + 1);
    } else {
      if (!is_option(flag) && !is_flag(flag))
        throw usage_error{fmt::format("unknown option --{} (see 'conlab help')", flag)};
      if (i + 1 >= argc) throw usage_error{fmt::format("option --{} needs a value", flag)};
      value = argv[++i];
    }
    auto err = is_option(flag) ? set_option(p.opts, flag, value) : set_flag(p.flags, flag, value);
    if (err) throw usage_error{*err + " (see 'conlab help')"};
    std::string member(flag);
    std::replace(member.begin(), member.end(), '-', '_');
    p.given.insert(member);
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
    // A hung run's threads cannot be stopped: leave without running destructors under them.
    if (hung) std::_Exit(found);
    return r.result == verdict::clean ? ok : found;
  }
  run_report r = explore(s.full_name(), s.body, p.opts);
  print_report(out, r, p.flags);
  return r.result == verdict::clean ? ok : found;
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
  int passed = 0, failed = 0, skipped = 0;
  for (const scenario* s : chosen) {
    variant_check v = check_variant(*s, p.opts, strategies);
    for (const strategy_check& c : v.strategies) {
      if (!c.applies) {
        fmt::print(out, "skip {:<36} {:<7} {}\n", s->full_name(), c.strategy, c.why_not);
        ++skipped;
        continue;
      }
      const run_report& r = c.report;
      std::string detail = r.result == verdict::clean
                               ? fmt::format("clean in {} executions", r.stats.executions)
                               : fmt::format("{} in execution {}{}", to_string(r.result), r.schedule + 1,
                                             r.reproduced ? ", replayed" : ", NOT reproduced");
      for (const auto& m : r.measurements)
        detail += fmt::format("; {} p50 {:.3f} ms, p99 {:.3f} ms", m.name, static_cast<double>(m.p50_ns) / 1e6,
                              static_cast<double>(m.p99_ns) / 1e6);
      fmt::print(out, "{} {:<36} {:<7} expected {:<21} {}\n", c.met ? "ok  " : "FAIL", s->full_name(), c.strategy,
                 to_string(s->expected), detail);
      (c.met ? passed : failed) += 1;
    }
  }
  fmt::print(out, "check: {} passed, {} failed{}\n", passed, failed,
             skipped ? fmt::format(", {} skipped", skipped) : std::string());
  return failed == 0 ? ok : found;
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
  return r.first ? found : ok;
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
  reports::comparison c;
  try {
    c = compare(chosen, p.opts, p.flags, setup_here(), err);
  } catch (const std::invalid_argument& e) {
    throw usage_error{e.what()};
  }
  std::string md = reports::render_comparison_markdown(c), js = reports::render_comparison_json(c);
  if (!p.flags.out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(p.flags.out, ec);
    for (auto [name, text] : {std::pair{"comparison.md", &md}, std::pair{"comparison.json", &js}}) {
      auto path = std::filesystem::path(p.flags.out) / name;
      std::FILE* f = std::fopen(path.c_str(), "w");
      if (!f) throw usage_error{fmt::format("cannot write {}", path.string())};
      std::fwrite(text->data(), 1, text->size(), f);
      std::fclose(f);
    }
  }
  const std::string& text = p.flags.format == "json" ? js : md;
  std::fwrite(text.data(), 1, text.size(), out);
  return ok;
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
  {  // before minutes of exploring: can the folder be written at all?
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::ofstream probe(dir / ".conlab-write-test");
    if (ec || !probe) throw usage_error{fmt::format("cannot write the report folder {}", dir.string())};
    probe.close();
    std::filesystem::remove(dir / ".conlab-write-test", ec);
  }
  std::filesystem::path sources = p.flags.sources;
#ifdef CONLAB_SOURCE_ROOT
  if (sources.empty()) sources = CONLAB_SOURCE_ROOT;
#endif
  if (sources.empty() || !std::filesystem::is_directory(sources)) sources = std::filesystem::current_path();
  reports::lab_report r = reports::build_lab_report(chosen, p.opts, sources, cmp ? &*cmp : nullptr, err);
  std::vector<std::string> written;
  try {
    written = reports::write_report_folder(r, dir);
  } catch (const std::runtime_error& e) {
    throw usage_error{e.what()};
  }
  std::string text = reports::render_index_text(r, ::isatty(::fileno(out)) == 1);
  std::fwrite(text.data(), 1, text.size(), out);
  fmt::print(out, "conlab report: {} files in {}/ - open index.md (or report.html) first\n", written.size(), dir.string());
  bool all_met = !r.interrupted;
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants) all_met = all_met && v.met;
  return all_met ? ok : found;
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
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
      if (argc > 2 && std::string_view(argv[2]) == "strategies") {
        fmt::print(out, "strategies (--strategy NAME):\n");
        for (const auto& st : strategies())
          fmt::print(out, "  {:<8} {}{}\n", st.name, st.help, st.checks ? " [conlab check runs it]" : "");
        return ok;
      }
      fmt::print(out, "{}{}\ncommand flags:\n{}", usage_text, options_help(), flags_help());
      return ok;
    }
    parsed p = parse(argc, argv, 2);
    if (cmd == "list") return cmd_list(p, out);
    if (cmd == "run") return cmd_run(p, out);
    if (cmd == "replay") return cmd_replay(p, out);
    if (cmd == "check") return cmd_check(std::move(p), out);
    if (cmd == "native") return cmd_native(std::move(p), out);
    if (cmd == "compare") return cmd_compare(std::move(p), out, err);
    if (cmd == "report") return cmd_report(std::move(p), out, err);
    throw usage_error{fmt::format("unknown command '{}' (see 'conlab help')", cmd)};
  } catch (const usage_error& e) {
    fmt::print(err, "conlab: {}\n", e.message);
    return usage;
  } catch (const std::invalid_argument& e) {  // the library's one-line errors for bad input
    fmt::print(err, "conlab: {}\n", e.what());
    return usage;
  } catch (const std::exception& e) {
    fmt::print(err, "conlab: internal error: {}\n", e.what());
    return internal;
  }
}

}  // namespace lab::cli
