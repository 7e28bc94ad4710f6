// The workshop flow: `conlab exercise list|start|check|hint|pack` and the learner's program.
//
// `check` builds the learner's file twice with the recipe this conlab was built with
// (exercise-recipe.txt, harness/cli/CMakeLists.txt): build/lab, the file over conlab's
// libraries, and build/lab-tsan, the same with the file instrumented by ThreadSanitizer (the
// libraries are not: TSan sees every access of the learner's code and the synchronisation of
// the std primitives the lab falls through to, through its interceptors). Then it runs
// `build/lab exercise verify NAME`: inside the learner's program, which knows NAME/yours, the
// verification explores it (dpor, then the samplers where dpor cannot prove it), runs
// build/lab-tsan natively under the supervisor of `conlab native` and checks the exercise's
// invariants on a few executions with full history.
#include "harness/cli/exercise.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "harness/cli/cli.h"
#include "harness/cli/compare.h"
#include "harness/exercise.h"
#include "harness/explore/check.h"
#include "harness/explore/explorer.h"
#include "reports/text.h"
#include "sanitizers/native_tools.h"
#include "scenarios/catalog.h"
#include "scenarios/exercises.h"

namespace lab {

int exercise_main(const char* name, void (*body)(), int argc, char** argv) {
  const exercise* e = find_exercise(name);
  std::string_view family = e ? e->scenario_name() : std::string_view{};
  add_to_catalog({.name = name,
                  .variant = "yours",
                  .expected = verdict::clean,
                  .summary = "your fix (conlab exercise check)",
                  .body = body,
                  .family = family});
  return cli::main(argc, argv, stdout, stderr);
}

namespace cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

[[noreturn]] void bad(std::string message) { throw std::invalid_argument(std::move(message)); }

/// Runs `cmd` through sh, collecting its stdout in `text` and echoing it to `echo` (when given) as
/// it comes; pclose's status.
int run_shell(const std::string& cmd, std::string_view cannot, std::string& text, std::FILE* echo) {
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) bad(std::string(cannot));
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) {
    if (echo) {
      std::fwrite(buf, 1, n, echo);
      std::fflush(echo);
    }
    text.append(buf, n);
  }
  return ::pclose(p);
}

const exercise& exercise_or_throw(const exercise_args& a) {
  if (a.positional.size() < 2)
    bad(fmt::format("exercise {} needs an exercise's NAME (see 'conlab exercise list')", a.positional[0]));
  if (a.positional.size() > 2) bad(fmt::format("exercise {} takes one NAME", a.positional[0]));
  const exercise* e = find_exercise(a.positional[1]);
  if (!e) bad(fmt::format("no exercise '{}' (see 'conlab exercise list')", a.positional[1]));
  return *e;
}

fs::path folder_of(const exercise_args& a, const exercise& e) {
  return a.flags.dir.empty() ? fs::path("exercises") / std::string(e.name) : fs::path(a.flags.dir);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, std::string_view text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
  f.close();
  if (!f) bad(fmt::format("cannot write {}", p.string()));
}

/// A word for sh: in single quotes, each ' as '\''.
std::string sh_word(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string self_path() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).string();
}

// ---- the recipe -------------------------------------------------------------------------

struct recipe {
  std::string cxx, flags, sanitizer, include, libs, system;
  std::string pch, pch_tsan;  ///< folders holding harness/exercise.h.gch (g++, build tree): -I before include
  fs::path file;
  std::vector<fs::path> inputs;  ///< the libraries: a rebuilt conlab rebuilds the exercise
};

/// The installed recipe (share/conlab beside bin/) first, then this build tree's.
recipe load_recipe() {
  std::vector<std::pair<fs::path, std::string>> places;  // the file, what @PREFIX@ stands for
  fs::path bin = fs::path(self_path()).parent_path();
  places.emplace_back(bin.parent_path() / "share" / "conlab" / "exercise-recipe.txt", bin.parent_path().string());
#ifdef CONLAB_EXERCISE_RECIPE
  places.emplace_back(CONLAB_EXERCISE_RECIPE, std::string());
#endif
  for (const auto& [path, prefix] : places) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    recipe r;
    r.file = path;
    std::istringstream in(read_file(path));
    for (std::string line; std::getline(in, line);) {
      for (std::size_t at; !prefix.empty() && (at = line.find("@PREFIX@")) != std::string::npos;)
        line.replace(at, 8, prefix);
      auto eq = line.find('=');
      if (line.starts_with("#") || eq == std::string::npos) continue;
      std::string key = line.substr(0, eq), value = line.substr(eq + 1);
      if (key == "cxx") r.cxx = value;
      else if (key == "flags") r.flags = value;
      else if (key == "sanitizer") r.sanitizer = value;
      else if (key == "include") r.include = value;
      else if (key == "libs") r.libs = value;
      else if (key == "system") r.system = value;
      else if (key == "pch") r.pch = value;
      else if (key == "pch_tsan") r.pch_tsan = value;
    }
    std::istringstream libs(r.libs);
    for (std::string lib; libs >> lib;) r.inputs.emplace_back(lib);
    if (r.cxx.empty() || r.include.empty() || r.libs.empty()) bad(fmt::format("{} is not a conlab build recipe", path.string()));
    return r;
  }
  bad("this conlab cannot build exercises: it has no exercise-recipe.txt (build conlab with CMake, or install it)");
}

/// The sh commands that build the learner's file: build/lab always; build/lab-tsan too unless
/// conlab itself is a sanitizer build (a TSan build: build/lab is it; an ASan one: no TSan).
std::string build_script(const recipe& r, const exercise& e, const fs::path& dir) {
  fs::path abs = fs::absolute(dir).lexically_normal();
  std::string src = (abs / e.file_name()).string();
  auto common_with = [&](const std::string& pch) {
    std::error_code ec;
    std::string first = !pch.empty() && fs::is_directory(pch, ec) ? fmt::format("-I {} ", sh_word(pch)) : std::string();
    return fmt::format("{} {}-I {} -ffile-prefix-map={}/=", r.flags, first, sh_word(r.include), abs.string());
  };
  const std::string common = common_with(r.pch), common_tsan = common_with(r.pch_tsan);
  std::string link = fmt::format("-Wl,--start-group {} -Wl,--end-group {}", r.libs, r.system);
  std::string out = fmt::format(
      "#!/bin/sh\n# Builds {} against conlab: written by `conlab exercise check`, which runs it.\n"
      "set -e\ncd {}\nmkdir -p build\n",
      e.file_name(), sh_word(abs.string()));
  std::string lab = fmt::format("{} {} {} -o build/lab {}", sh_word(r.cxx), common, sh_word(src), link);
  if (!r.sanitizer.empty()) return out + lab + "\n";
  std::string tsan = fmt::format("{} {} -fsanitize=thread -fno-omit-frame-pointer {} -o build/lab-tsan {} -fsanitize=thread",
                                 sh_word(r.cxx), common_tsan, sh_word(src), link);
  return out + fmt::format("{} &\nfirst=$!\n{}\nwait $first\n", lab, tsan);
}

std::filesystem::file_time_type mtime(const fs::path& p) {
  std::error_code ec;
  auto t = fs::last_write_time(p, ec);
  return ec ? fs::file_time_type::min() : t;
}

struct build_result {
  bool ok = false;
  bool up_to_date = false;
  double seconds = 0;
  std::string output;  ///< the compiler's
};

build_result build(const recipe& r, const exercise& e, const fs::path& dir) {
  build_result b;
  std::string script = build_script(r, e, dir);
  fs::path script_path = dir / "build.sh";
  bool same_script = read_file(script_path) == script;
  std::vector<fs::path> outputs = {dir / "build" / "lab"};
  if (r.sanitizer.empty()) outputs.push_back(dir / "build" / "lab-tsan");
  auto oldest = fs::file_time_type::max();
  for (const auto& o : outputs) oldest = std::min(oldest, mtime(o));
  auto newest_input = std::max(mtime(dir / e.file_name()), mtime(r.file));
  for (const auto& in : r.inputs) newest_input = std::max(newest_input, mtime(in));
  if (same_script && oldest != fs::file_time_type::min() && oldest >= newest_input) {
    b.ok = b.up_to_date = true;
    return b;
  }
  write_file(script_path, script);
  ::chmod(script_path.c_str(), 0755);
  auto t0 = std::chrono::steady_clock::now();
  std::string cmd = fmt::format("sh {} 2>&1", sh_word(script_path.string()));
  int status = run_shell(cmd, "cannot start sh to build the exercise", b.output, nullptr);
  b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  b.ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!b.ok)  // a half-built pair must not look up to date next time
    for (const auto& o : outputs) {
      std::error_code ec;
      fs::remove(o, ec);
    }
  return b;
}

// ---- list, start, hint, pack -------------------------------------------------------------

int cmd_list(const exercise_args& a, std::FILE* out) {
  if (a.flags.format == "json") {
    json j = json::array();
    for (const auto& e : exercises())
      j.push_back({{"name", e.name},
                   {"variant", e.variant},
                   {"goal", e.goal},
                   {"difficulty", e.difficulty},
                   {"level", difficulty_name(e.difficulty)},
                   {"failure_mode", e.failure_mode()}});
    fmt::print(out, "{}\n", j.dump(2));
    return ok;
  }
  std::size_t width = 8;
  for (const auto& e : exercises()) width = std::max(width, e.name.size());
  fmt::print(out, "{:<{}} {:<9} {}\n", "EXERCISE", width, "LEVEL", "FAILURE MODE / GOAL");
  for (const auto& e : exercises())
    fmt::print(out, "{:<{}} {:<9} {}: {}\n", e.name, width, difficulty_name(e.difficulty), e.failure_mode(), e.goal);
  fmt::print(out, "\nconlab exercise start NAME writes your copy to exercises/NAME/; conlab play {} lets you be the scheduler\n",
             exercises().empty() ? "NAME/broken" : std::string(exercises().front().variant));
  return ok;
}

std::string invariant_lines(const exercise& e) {
  std::string out;
  for (const auto& i : e.invariants) out += fmt::format("- {}\n", i.says);
  return out;
}

/// The learner's README: the goal, what must keep working, the commands.
std::string learner_readme(const exercise& e, const fs::path& dir) {
  std::string d = dir.string();
  std::string dir_flag = d == (fs::path("exercises") / std::string(e.name)).string() ? "" : " --dir " + sh_word(d);
  return fmt::format(
      "# Exercise: {name}\n\n"
      "{goal}\n\n"
      "The program is `{file}`: the body of the catalog's `{variant}` ({mode}). Edit it; nothing else.\n\n"
      "## What your fix must keep\n\n"
      "A fix must keep what the program is for, so these must still hold:\n\n{inv}\n"
      "## Commands\n\n"
      "```\n"
      "conlab play {variant}              # be the scheduler: make the bug happen by hand\n"
      "conlab exercise hint {name}{dir}   # one hint more each time\n"
      "conlab exercise check {name}{dir}  # build your file; explore it, run it under ThreadSanitizer, check the above\n"
      "```\n\n"
      "`check` says PASS (exit 0) or FAIL (exit 1) with the reason; on a failure it shows the report of the\n"
      "interleaving that goes wrong, which `./build/lab replay TOKEN` (in this folder) shows again.\n"
      "`build.sh` is how it builds your file (it rewrites and runs it).\n",
      fmt::arg("name", e.name), fmt::arg("goal", e.goal), fmt::arg("file", e.file_name()), fmt::arg("variant", e.variant),
      fmt::arg("mode", e.failure_mode()), fmt::arg("inv", invariant_lines(e)), fmt::arg("dir", dir_flag));
}

/// Writes the learner's folder; false when the file is there and not to be replaced.
void write_exercise(const exercise& e, const fs::path& dir, bool solution, bool force) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) bad(fmt::format("cannot create the folder {}", dir.string()));
  fs::path file = dir / e.file_name();
  if (fs::exists(file, ec) && !force)
    bad(fmt::format("{} exists (your work?): --force replaces it, or choose another --dir", file.string()));
  write_file(file, solution ? e.solution : e.source);
  write_file(dir / "README.md", learner_readme(e, dir));
  fs::remove(dir / ".conlab-hints", ec);
}

int cmd_start(const exercise_args& a, std::FILE* out) {
  const exercise& e = exercise_or_throw(a);
  fs::path dir = folder_of(a, e);
  write_exercise(e, dir, a.solution, a.force);
  fmt::print(out,
             "exercise {}: {}\n\n  edit   {}\n  play   conlab play {}\n  hint   conlab exercise hint {}{}\n  check  "
             "conlab exercise check {}{}\n",
             e.name, e.goal, (dir / e.file_name()).string(), e.variant, e.name,
             a.flags.dir.empty() ? "" : " --dir " + sh_word(a.flags.dir), e.name,
             a.flags.dir.empty() ? "" : " --dir " + sh_word(a.flags.dir));
  if (a.solution) fmt::print(out, "\n(this copy holds the solution: --solution)\n");
  return ok;
}

int cmd_hint(const exercise_args& a, std::FILE* out) {
  const exercise& e = exercise_or_throw(a);
  std::vector<std::string> all = hints(e);
  fs::path dir = folder_of(a, e);
  fs::path state = dir / ".conlab-hints";
  std::error_code ec;
  std::size_t shown = 0;
  if (fs::is_regular_file(state, ec)) shown = std::strtoull(read_file(state).c_str(), nullptr, 10);
  std::size_t level = a.given.contains("level") ? a.flags.level : std::min(shown + 1, all.size());
  if (level == 0 || level > all.size())
    bad(fmt::format("--level: exercise {} has hints 1 to {}", e.name, all.size()));
  fmt::print(out, "hint {} of {} for {}:\n\n{}\n", level, all.size(), e.name, all[level - 1]);
  if (level < all.size()) fmt::print(out, "\n(again for the next hint)\n");
  if (fs::is_directory(dir, ec) && level > shown) {
    std::ofstream f(state);
    f << level << "\n";
  }
  return ok;
}

int cmd_pack(const exercise_args& a, std::FILE* out) {
  if (a.positional.size() != 1) bad("exercise pack takes no NAME: it packs every exercise (--out DIR)");
  if (a.flags.out.empty()) bad("exercise pack needs --out DIR");
  fs::path dir = a.flags.out;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !a.force)
    bad(fmt::format("{} is not empty: --force writes into it", dir.string()));
  std::string table;
  for (const auto& e : exercises()) {
    write_exercise(e, dir / std::string(e.name), false, true);
    fs::create_directories(dir / "instructor" / "solutions", ec);
    write_file(dir / "instructor" / "solutions" / e.file_name(), e.solution);
    table += fmt::format("| `{}` | {} | {} | {} |\n", e.name, difficulty_name(e.difficulty), e.failure_mode(), e.goal);
  }
  std::string handout = fmt::format(
      "# Concurrency workshop: break it, see it, fix it, prove it\n\n"
      "Each folder here is one exercise: a small C++ program with a concurrency bug, written with conlab's\n"
      "primitives (`lab::thread`, `lab::mutex`, `lab::shared<T>`, ...: the std names). The lab runs it under a\n"
      "deterministic scheduler that can try every interleaving, so a bug that shows once in a million real runs\n"
      "shows every time here.\n\n"
      "1. `conlab exercise list` - pick one (warm-up first).\n"
      "2. `cd` to its folder's parent and read `NAME/README.md`: the goal and what a fix must keep.\n"
      "3. `conlab play NAME/broken` - you are the scheduler: choose which thread steps until it breaks.\n"
      "4. Edit `NAME/NAME.cpp`.\n"
      "5. `conlab exercise check NAME` - PASS when no interleaving fails, ThreadSanitizer is quiet on real\n"
      "   threads, and the program still does its job. `conlab exercise hint NAME` when stuck.\n\n"
      "| exercise | level | failure mode | goal |\n|---|---|---|---|\n{}\n"
      "For the instructor: `instructor/solutions/` holds a fix of each; `conlab exercise check NAME --format json`\n"
      "prints one JSON object per learner's check, to collect a room's results.\n",
      table);
  write_file(dir / "HANDOUT.md", handout);
  fmt::print(out, "conlab exercise pack: {} exercises, HANDOUT.md and instructor/solutions/ in {}/\n", exercises().size(),
             dir.string());
  return ok;
}

// ---- check (in conlab) and verify (in the learner's program) ---------------------------

int cmd_check(const exercise_args& a, std::FILE* out, std::FILE* err) {
  const exercise& e = exercise_or_throw(a);
  fs::path dir = folder_of(a, e);
  std::error_code ec;
  if (!fs::is_regular_file(dir / e.file_name(), ec))
    bad(fmt::format("{} is missing: conlab exercise start {}{} writes it", (dir / e.file_name()).string(), e.name,
                    a.flags.dir.empty() ? "" : " --dir " + sh_word(a.flags.dir)));
  recipe r = load_recipe();
  const bool json_out = a.flags.format == "json";
  if (!json_out) {
    fmt::print(out, "exercise {}: {}\n", e.name, (dir / e.file_name()).string());
    std::fflush(out);
  }
  build_result b = build(r, e, dir);
  json build_json = {{"ok", b.ok}, {"up_to_date", b.up_to_date}, {"seconds", b.seconds}};
  if (!b.ok) {
    if (json_out) {
      build_json["output"] = b.output;
      json j = {{"exercise", e.name}, {"file", (dir / e.file_name()).string()}, {"result", "fail"},
                {"reasons", {"your file does not build"}}, {"build", build_json}};
      fmt::print(out, "{}\n", j.dump(2));
    } else {
      fmt::print(out, "  build      FAIL  the compiler says:\n\n{}\nFAIL {}: your file does not build (above: the compiler's "
                      "messages)\n", b.output, e.name);
    }
    return found;
  }
  if (!json_out) {
    fmt::print(out, "  build      ok    {}\n",
               b.up_to_date ? std::string("up to date") : fmt::format("built in {:.1f} s", b.seconds));
    std::fflush(out);
  }
  // The learner's program verifies itself; its output is ours.
  std::string cmd = fmt::format("{} exercise verify {} --dir {}{}{}", sh_word((dir / "build" / "lab").string()), e.name,
                                sh_word(dir.string()), json_out ? " --format json" : "",
                                a.given.contains("runs") ? fmt::format(" --runs {}", a.opts.runs) : "");
  // Its stderr (a usage error, a crash) is ours too: through a file, into `err`.
  fs::path err_file = dir / "build" / "verify.stderr";
  cmd += " 2> " + sh_word(err_file.string());
  std::string text;
  int status = run_shell(cmd, "cannot run the exercise's program", text, json_out ? nullptr : out);
  std::string child_err = read_file(err_file);
  std::fwrite(child_err.data(), 1, child_err.size(), err);
  int code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : internal;
  if (status != -1 && WIFSIGNALED(status))
    fmt::print(err, "conlab: the exercise's program died of signal {} (its output is above)\n", WTERMSIG(status));
  if (json_out) {
    json j;
    try {
      j = json::parse(text);
    } catch (const json::exception&) {
      fmt::print(err, "conlab: the exercise's program printed no result (exit {}): {}\n", code, text);
      return code == ok ? internal : code;
    }
    j["build"] = build_json;
    fmt::print(out, "{}\n", j.dump(2));
  }
  return code;
}

int cmd_verify(const exercise_args& a, std::FILE* out) {
  const exercise& e = exercise_or_throw(a);
  const scenario* s = find_scenario(std::string(e.name) + "/yours");
  if (!s) {
    for (const auto& other : catalog())
      if (other.variant == "yours")
        bad(fmt::format("the file says LAB_EXERCISE({}), but this is exercise {}: name it LAB_EXERCISE({})", other.name,
                        e.name, e.name));
    bad("exercise verify runs inside a learner's program: use conlab exercise check");
  }
  fs::path dir = folder_of(a, e);
  const std::string source = read_file(dir / e.file_name());
  const bool json_out = a.flags.format == "json";
  std::vector<std::string> reasons;
  bool cut = false;
  json j = {{"exercise", e.name}, {"file", (dir / e.file_name()).string()}};

  // 1. Every interleaving (or as many as the budget allows): the catalog's plan for a fix.
  options o = a.opts;
  if (!a.given.contains("schedules")) o.schedules = 10000;
  // (An exercise about starvation is sampled by random and PCT whatever dpor says: the catalog
  // marks its variants, ours included, as needing fair schedules.)
  variant_check v = check_variant(*s, o);
  json explored = json::array();
  const run_report* failing = nullptr;
  std::string explore_line;
  for (const strategy_check& c : v.strategies) {
    if (!c.needed || !c.applies) continue;
    const run_report& r = c.report;
    std::string detail = r.result != verdict::clean ? fmt::format("{} in execution {}", to_string(r.result), r.schedule + 1)
                                                    : coverage(r);
    bool stopped = r.interrupted && r.result == verdict::clean;
    cut = cut || stopped;
    explored.push_back({{"strategy", c.strategy}, {"ok", c.met && !stopped}, {"verdict", to_string(r.result)},
                        {"detail", detail}, {"replay", r.replay}});
    explore_line += fmt::format("  explore    {}  {}: {}\n", c.met && !stopped ? "ok  " : stopped ? "STOP" : "FAIL", c.strategy,
                                stopped ? "interrupted" : detail);
    if (!c.met && !failing) failing = &r;
  }
  j["explore"] = explored;
  if (failing)
    reasons.push_back(fmt::format("the lab found {} ({} strategy, execution {}): the report shows the interleaving",
                                  to_string(failing->result), failing->strategy, failing->schedule + 1));

  // 2. Real threads under ThreadSanitizer, in the instrumented twin of this program.
  fs::path self = self_path();
  std::string tsan_bin = this_build_sanitizer() == "thread" ? self.string() : (self.parent_path() / "lab-tsan").string();
  native_setup setup{self.string(), {}};
#ifdef CONLAB_SANITIZERS_DIR
  std::error_code ec;
  if (fs::is_directory(CONLAB_SANITIZERS_DIR, ec)) setup.suppressions_dir = CONLAB_SANITIZERS_DIR;
#endif
  options no = a.opts;
  if (!a.given.contains("runs")) no.runs = 10;
  no.timeout = 3;  // the watchdog of one run: an exercise runs in milliseconds
  // Real CPU work and sleeps shrunk as conlab compare shrinks them (a GIL exercise computes
  // 1.4 s a run otherwise). The native loop's stall check keeps its limit unshrunk: stalls are
  // judged exactly by the exploration, in virtual time; on real threads under ThreadSanitizer on
  // a loaded machine a step of a correct loop takes 10 ms now and then, which a shrunk limit
  // would call a stall.
  no.work_scale = 0.1;
  cli::flags nf;
  nf.tool = "tsan";
  nf.tsan_bin = tsan_bin;
  native_result nr;
  std::string tsan_line;
  json tsan_json;
  // A program the exploration already found blocked for ever would only hang real threads until
  // the watchdog: the finding comes first.
  const bool hangs = failing && (failing->result == verdict::deadlock || failing->result == verdict::lost_wakeup);
  if (stop_was_requested()) {
    cut = true;
  } else if (hangs) {
    tsan_line = fmt::format("  tsan       -     not run: real threads would hang on the {} above until a watchdog\n",
                            to_string(failing->result));
    tsan_json = {{"ok", nullptr}, {"ran", false}, {"detail", "not run: the exploration found the program blocked"}};
  } else if (!fs::exists(tsan_bin)) {
    tsan_line = "  tsan       STOP  not run: this conlab is an AddressSanitizer build, which cannot host ThreadSanitizer\n";
    tsan_json = {{"ok", false}, {"ran", false}, {"detail", "no ThreadSanitizer build of the program"}};
    cut = true;
  } else {
    nr = run_native_command(*s, no, nf, setup);
    bool complete = nr.error.empty() && !nr.interrupted && !nr.budget_exhausted;
    std::string detail;
    if (!nr.error.empty()) detail = nr.error;
    else if (nr.first)
      detail = fmt::format("native run {} of {}: {}{}", nr.first->run, no.runs, nr.first->title,
                           nr.first->where.empty() ? "" : " at " + nr.first->where);
    else
      detail = fmt::format("{} native run{} under ThreadSanitizer{}", nr.runs_started, nr.runs_started == 1 ? "" : "s",
                           complete ? ", no report" : ", cut short");
    tsan_json = {{"ok", complete && !nr.first}, {"ran", true}, {"runs", nr.runs_started}, {"detail", detail}};
    tsan_line = fmt::format("  tsan       {}  {}\n", nr.first ? "FAIL" : complete ? "ok  " : "STOP", detail);
    if (nr.first) reasons.push_back(fmt::format("ThreadSanitizer on real threads: {}", detail));
    else if (!complete) cut = true;
  }
  j["tsan"] = tsan_json;

  // 3. The scenario's own behaviour, on executions with full history.
  std::vector<run_report> witnesses;
  options w = a.opts;
  w.strategy = "random";
  w.seed = 1;
  for (std::uint64_t i = 0; i < 8 && !stop_was_requested(); ++i) witnesses.push_back(observe(s->full_name(), s->body, w, i));
  // An execution that ended at a finding stopped early: it says nothing of what the program does.
  std::size_t observed = witnesses.size();
  std::erase_if(witnesses, [](const run_report& r) { return r.result != verdict::clean; });
  if (witnesses.empty()) cut = true;  // no pass without the invariants checked
  std::vector<invariant_result> inv = check_invariants(e, witnesses, source);
  json inv_json = json::array();
  std::string inv_lines;
  for (const auto& r : inv) {
    if (witnesses.empty() && r.rule->what != invariant::kind::source_has) {
      inv_json.push_back({{"says", r.rule->says}, {"held", nullptr}, {"seen", "not checked"}});
      inv_lines += fmt::format("  invariant  -     {}: not checked (each of {} executions ended at a finding)\n",
                               r.rule->says, observed);
      continue;
    }
    inv_json.push_back({{"says", r.rule->says}, {"held", r.held}, {"seen", r.seen}});
    inv_lines += fmt::format("  invariant  {}  {}: {}\n", r.held ? "ok  " : "FAIL", r.rule->says, r.seen);
    if (!r.held) reasons.push_back(fmt::format("the program no longer does its job: {} - {}", r.rule->says, r.seen));
  }
  j["invariants"] = inv_json;

  const bool pass = reasons.empty() && !cut && v.met;
  std::string result = !reasons.empty() ? "fail" : pass ? "pass" : "incomplete";
  j["result"] = result;
  j["reasons"] = reasons;
  std::string report_text = failing ? reports::render_text(*failing) : nr.first ? render_native(nr, no, nf) : std::string();
  j["report"] = report_text.empty() ? json() : json(report_text);
  if (json_out) {
    fmt::print(out, "{}\n", j.dump(2));
  } else {
    fmt::print(out, "{}{}{}", explore_line, tsan_line, inv_lines);
    if (result == "pass") {
      const run_report* shown = v.shown();
      fmt::print(out, "PASS {}: {}; quiet under ThreadSanitizer; it still does its job\n", e.name,
                 shown ? coverage(*shown) : "explored");
    } else if (result == "fail") {
      fmt::print(out, "FAIL {}: {}\n", e.name, reasons.front());
      for (std::size_t i = 1; i < reasons.size(); ++i) fmt::print(out, "     and {}\n", reasons[i]);
      if (!report_text.empty()) fmt::print(out, "\n{}", report_text);
    } else {
      fmt::print(out, "INCOMPLETE {}: the check was cut short; no pass\n", e.name);
    }
  }
  return result == "pass" ? ok : result == "fail" ? found : incomplete;
}

}  // namespace

int exercise_command(const exercise_args& a, std::FILE* out, std::FILE* err) {
  if (a.positional.empty()) bad("exercise needs one of list, start, check, hint, pack (see 'conlab help exercise')");
  const std::string& sub = a.positional[0];
  if (sub == "list") {
    if (a.positional.size() != 1) bad("exercise list takes no NAME");
    return cmd_list(a, out);
  }
  if (sub == "start") return cmd_start(a, out);
  if (sub == "check") return cmd_check(a, out, err);
  if (sub == "hint") return cmd_hint(a, out);
  if (sub == "pack") return cmd_pack(a, out);
  if (sub == "verify") return cmd_verify(a, out);
  bad(fmt::format("no exercise command '{}': list, start, check, hint or pack", sub));
}

}  // namespace cli
}  // namespace lab
