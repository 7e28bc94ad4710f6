// Building the child's command line and environment, and reading its output back run by run.
#include "sanitizers/native_tools.h"

#include <fmt/format.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "harness/runtime/sanitizer_build.h"
#include "harness/explore/explorer.h"
#include "harness/explore/native_runner.h"
#include "sanitizers/supervisor.h"

namespace lab {
namespace {

bool is_valgrind(native_tool t) { return t == native_tool::helgrind || t == native_tool::drd; }

/// "build/dev/scenarios/x/x.cpp" -> "scenarios/x/x.cpp": the path from the first of the
/// project's top folders, so that every tool's paths read the same.
std::string project_path(std::string_view file) {
  for (std::string_view top : {"scenarios/", "harness/", "sanitizers/", "tests/", "reports/"}) {
    if (file.starts_with(top)) return std::string(file);
    if (auto at = file.find(fmt::format("/{}", top)); at != std::string_view::npos) return std::string(file.substr(at + 1));
  }
  return std::string(file);
}

std::string where_of(const frame* f) { return f ? fmt::format("{}:{}", project_path(f->file), f->line) : std::string(); }

std::vector<tool_finding> parse_for(native_tool t, std::string_view text) {
  if (is_valgrind(t)) return parse_valgrind_output(text, to_string(t));
  return parse_sanitizer_output(text);  // none: a plain build prints no reports; harmless
}

/// Reads "run I of N" / "finding in run I: VERDICT: MESSAGE" after the mark; 0 if neither.
struct mark {
  std::uint64_t run = 0;
  bool finding = false;
  std::string verdict_name, message;
};

mark read_mark(std::string_view line) {
  mark m;
  auto at = line.find(native_mark);
  if (at == std::string_view::npos) return m;
  line.remove_prefix(at + native_mark.size());
  auto number = [](std::string_view s) {
    std::uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') break;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
  };
  if (line.starts_with("run ")) {
    m.run = number(line.substr(4));
  } else if (line.starts_with("finding in run ")) {
    line.remove_prefix(15);
    m.run = number(line);
    m.finding = true;
    if (auto c = line.find(": "); c != std::string_view::npos) {
      line.remove_prefix(c + 2);
      auto c2 = line.find(": ");
      m.verdict_name = std::string(line.substr(0, c2));
      if (c2 != std::string_view::npos) m.message = std::string(line.substr(c2 + 2));
    }
  }
  return m;
}

verdict verdict_named(std::string_view name) { return parse_verdict(name).value_or(verdict::assertion_failed); }

native_detection from_report(const tool_finding& f, std::uint64_t run) {
  return {.run = run, .kind = f.kind, .source = f.tool, .title = f.title, .where = where_of(f.blame("scenarios/")),
          .message = without_addresses(f.stacks.empty() ? f.title : f.stacks.front().heading)};
}

}  // namespace

std::string_view to_string(native_tool t) {
  switch (t) {
    case native_tool::none: return "none";
    case native_tool::tsan: return "tsan";
    case native_tool::helgrind: return "helgrind";
    case native_tool::drd: return "drd";
  }
  return "none";
}

std::optional<native_tool> parse_native_tool(std::string_view name) {
  for (auto t : {native_tool::none, native_tool::tsan, native_tool::helgrind, native_tool::drd})
    if (to_string(t) == name) return t;
  return std::nullopt;
}

// The sanitizers' runtimes define these; a process without one has them null (weak). They answer
// for a program whose own files are instrumented while conlab's libraries are not - a learner's
// exercise built by `conlab exercise check` (harness/cli/exercise.cpp) - as for a sanitizer build.
extern "C" void __tsan_init() __attribute__((weak));
extern "C" void __asan_init() __attribute__((weak));

std::string_view this_build_sanitizer() {
  if (CONLAB_TSAN || __tsan_init != nullptr) return "thread";
  if (CONLAB_ASAN || __asan_init != nullptr) return "address";
  return "";
}

std::string native_result::column() const {
  std::string base = tool == native_tool::none ? "stress" : std::string(to_string(tool));
  return jitter > 0 ? base + "+jitter" : base;
}

std::string program_for(native_tool tool, const std::string& self, std::string& why) {
  namespace fs = std::filesystem;
  std::string_view mine = this_build_sanitizer();
  // self is <build>/<preset>/harness/cli/conlab, or <build>/harness/cli/conlab for a plain build.
  fs::path cli_dir = fs::path(self).parent_path();
  auto sibling = [&](std::string_view preset) -> std::string {
    for (const auto& up : {cli_dir / ".." / ".." / "..", cli_dir / ".." / ".."}) {
      fs::path candidate = up / preset / "harness" / "cli" / "conlab";
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec)) return fs::weakly_canonical(candidate, ec).string();
    }
    return {};
  };
  std::vector<std::string> order;
  if (tool == native_tool::tsan) {
    if (mine == "thread") return self;
    order = {"tsan"};
  } else if (tool == native_tool::none) {
    if (mine.empty()) return self;
    order = {"ci", "dev", "release"};  // debug info first: stacks with lines
  } else {
    // valgrind: the unoptimised build first. Once libstdc++'s shared_ptr and scoped_lock code
    // is inlined (-O2, and worse after LTO, where valgrind names such frames "UnknownInlinedFun"),
    // the suppressions of sanitizers/valgrind.supp, which name those functions, no longer match.
    for (std::string_view p : {"dev", "ci"})
      if (auto found = sibling(p); !found.empty()) return found;
    if (mine.empty()) return self;
    order = {"release"};
  }
  for (const auto& p : order)
    if (auto found = sibling(p); !found.empty()) return found;
  why = tool == native_tool::tsan
            ? "no ThreadSanitizer build of conlab: run `cmake --preset tsan && cmake --build --preset tsan` "
              "or pass --tsan-bin PATH"
            : fmt::format("{} cannot run a binary built with a sanitizer, and no build without one was found "
                          "next to it (build the ci or release preset, or pass --plain-bin PATH)",
                          tool == native_tool::none ? "a stress run" : "valgrind");
  return {};
}

native_result run_under_tool(const native_request& rq) {
  native_result r;
  r.variant = rq.variant;
  r.tool = rq.tool;
  r.jitter = rq.jitter;
  if (rq.program.empty()) {
    r.error = "no conlab binary to run";
    return r;
  }
  child_spec spec;
  const bool valgrind = is_valgrind(rq.tool);
  if (valgrind) {
    spec.argv = {"valgrind", fmt::format("--tool={}", to_string(rq.tool)), "-q", "--fullpath-after=",
                 "--error-exitcode=66"};
    if (rq.stop_at_first) spec.argv.emplace_back("--exit-on-first-error=yes");
    if (!rq.suppressions_dir.empty()) spec.argv.push_back(fmt::format("--suppressions={}/valgrind.supp", rq.suppressions_dir));
  }
  for (std::string a : {rq.program, std::string("run"), rq.variant, std::string("--backend"), std::string("native"),
                        std::string("--runs"), std::to_string(std::max<std::uint64_t>(rq.runs, 1)),
                        std::string("--jitter"), fmt::format("{}", rq.jitter), std::string("--work-scale"),
                        fmt::format("{}", rq.work_scale), std::string("--stall-ms"), fmt::format("{}", rq.stall_ms),
                        std::string("--timeout"), std::string("86400")})
    spec.argv.push_back(std::move(a));
  spec.env.emplace_back("CONLAB_NATIVE_MARKS=1");
  if (rq.tool == native_tool::tsan) {
    std::string opts = fmt::format("halt_on_error={} exitcode=66 second_deadlock_stack=1 report_signal_unsafe=1",
                                   rq.stop_at_first ? 1 : 0);
    if (!rq.suppressions_dir.empty()) opts += fmt::format(" suppressions={}/tsan.supp", rq.suppressions_dir);
    spec.env.push_back("TSAN_OPTIONS=" + opts);
  }
  spec.timeout_s = rq.budget_s;
  spec.idle_timeout_s = rq.run_timeout_s;
  spec.dump_stacks = !valgrind;  // gdb would see valgrind's threads, not the program's
  spec.stop = &stop_was_requested;  // Ctrl-C: end the child at once, keep what it wrote
  child_outcome out = run_child(spec);
  r.seconds = out.seconds;
  r.output = out.output;
  r.interrupted = out.interrupted;
  if (!out.started) {
    r.error = valgrind ? "valgrind is not installed (apt-get install valgrind)"
                       : fmt::format("cannot run {}", rq.program);
    return r;
  }

  // Split the output into runs at the marks; segment 0 is what came before the first run.
  std::vector<std::string> segment(1);
  std::optional<mark> lab_mark;
  std::size_t lab_offset = 0;  // how much of its run's segment preceded the lab's finding
  for (std::string_view line : split_lines(out.output)) {
    mark m = read_mark(line);
    if (m.run != 0 && !m.finding) {
      r.runs_started = m.run;
      if (segment.size() <= m.run) segment.resize(m.run + 1);
      continue;
    }
    if (m.finding) {
      if (!lab_mark) {
        lab_mark = m;
        if (segment.size() <= m.run) segment.resize(m.run + 1);
        lab_offset = segment[m.run].size();
      }
      continue;
    }
    segment.back().append(line).push_back('\n');
  }
  // No run began and it failed: the command itself was refused (bad usage, a tool's fatal
  // error such as a missing suppression file), which is no detection.
  if (r.runs_started == 0 && !out.timed_out && !out.interrupted && (out.exit_code > 0 || out.signal != 0) &&
      parse_for(rq.tool, segment[0]).empty()) {
    for (auto line : split_lines(out.output)) {
      if (!r.error.empty()) break;
      if (line.starts_with("conlab: ")) line.remove_prefix(8);
      else if (line.find("FATAL") == std::string_view::npos) continue;
      r.error = fmt::format("{} refused the run: {}", rq.program, line);
    }
    if (r.error.empty())
      r.error = fmt::format("{} failed before its first run (status {})", rq.program, out.exit_code);
    return r;
  }

  for (std::uint64_t run = 0; run < segment.size(); ++run) {
    auto found = parse_for(rq.tool, segment[run]);
    if (!found.empty() && !r.first) {
      std::uint64_t at = std::max<std::uint64_t>(run, 1);  // a report at start-up counts to run 1
      bool before_lab = !lab_mark || at < lab_mark->run ||
                        (at == lab_mark->run && !parse_for(rq.tool, std::string_view(segment[run]).substr(0, lab_offset)).empty());
      if (before_lab) r.first = from_report(found.front(), at);
    }
    for (auto& f : found) r.reports.push_back(std::move(f));
  }
  if (!r.first && lab_mark)
    r.first = native_detection{.run = lab_mark->run, .kind = verdict_named(lab_mark->verdict_name), .source = "lab",
                               .title = lab_mark->verdict_name, .where = {}, .message = lab_mark->message};

  if (out.timed_out && out.idle) {
    for (auto& t : parse_gdb_backtraces(out.stacks)) r.stacks.push_back(std::move(t));
    if (!r.first) {
      const frame* blamed = nullptr;
      for (const auto& t : r.stacks)
        for (const auto& f : t.frames)
          if (!blamed && project_path(f.file).starts_with("scenarios/")) blamed = &f;
      r.first = native_detection{
          .run = std::max<std::uint64_t>(r.runs_started, 1), .kind = verdict::timeout, .source = "watchdog",
          .title = "hang", .where = where_of(blamed),
          .message = fmt::format("silent for {} s: {}", rq.run_timeout_s,
                                 valgrind ? "killed (no stacks under valgrind)"
                                          : fmt::format("{} thread stacks taken, then killed", r.stacks.size()))};
    }
  } else if (out.timed_out) {
    r.budget_exhausted = true;
  } else if (out.interrupted) {
    // killed on request: its signal is ours, not a crash
  } else if (out.signal != 0 && !r.first) {
    r.first = native_detection{.run = std::max<std::uint64_t>(r.runs_started, 1), .kind = verdict::crash,
                               .source = "signal", .title = sigabbrev_np(out.signal) ? fmt::format("SIG{}", sigabbrev_np(out.signal)) : "signal",
                               .where = {}, .message = fmt::format("killed by signal {} ({})", out.signal, strsignal(out.signal))};
  } else if (!r.first && out.exit_code != 0) {
    r.first = native_detection{.run = std::max<std::uint64_t>(r.runs_started, 1), .kind = verdict::crash,
                               .source = "exit", .title = fmt::format("exit {}", out.exit_code), .where = {},
                               .message = fmt::format("exited with status {} and no report", out.exit_code)};
  } else if (!r.first && r.runs_started < std::max<std::uint64_t>(rq.runs, 1)) {
    // It ended well but did not do the runs asked for: not a conlab that ran them (a wrong
    // --tsan-bin), and never "nothing found".
    r.error = r.runs_started == 0
                  ? fmt::format("{} ran no run of {} (is it a conlab binary?)", rq.program, rq.variant)
                  : fmt::format("{} stopped after {} of {} runs with no report", rq.program, r.runs_started,
                                std::max<std::uint64_t>(rq.runs, 1));
  }
  return r;
}

std::string check_conlab_binary(native_tool tool, const std::string& path) {
  static std::mutex m;
  static std::map<std::pair<native_tool, std::string>, std::string> seen;
  std::lock_guard g(m);
  auto key = std::pair{tool, path};
  if (auto it = seen.find(key); it != seen.end()) return it->second;
  std::string& why = seen[key];
  child_outcome out = run_child(child_spec{.argv = {path, "--version"}, .timeout_s = 30, .dump_stacks = false});
  std::string_view text = out.output;
  const bool conlab = out.started && !out.timed_out && out.exit_code == 0 && text.starts_with("conlab ");
  std::string_view line = text.substr(0, text.find('\n'));
  auto built_with = [&](std::string_view s) { return line.find(fmt::format("(sanitizer: {})", s)) != std::string_view::npos; };
  if (!conlab) {
    why = fmt::format("{} is not a conlab binary (it does not answer --version as conlab does)", path);
  } else if (tool == native_tool::tsan && !built_with("thread")) {
    why = fmt::format("{} is not built with ThreadSanitizer ({}): use the tsan preset's build/tsan/harness/cli/conlab",
                      path, line);
  } else if (tool != native_tool::tsan && !built_with("none")) {
    why = fmt::format("{} is built with a sanitizer ({}): {} needs a build without one (ci, dev or release)", path,
                      line, tool == native_tool::none ? "a stress run" : "valgrind");
  }
  return why;
}

}  // namespace lab
