#include "reports/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>

#include "harness/trace/reads_from.h"
#include "reports/labels.h"

namespace lab::reports {
namespace {

/// The command that replays the report's execution.
std::string replay_line(const run_report& r) {
  return r.replay_command.empty() ? "conlab replay " + r.replay : r.replay_command;
}

std::string locks_text(const run_report& r, const std::vector<object_id>& locks) {
  if (locks.empty()) return "none";
  std::string s;
  for (auto l : locks) {
    if (!s.empty()) s += ", ";
    s += object_label(r, l);
  }
  return s;
}

void access_block(std::string& out, const run_report& r, const access_info& a, bool previous) {
  std::string kind = a.write ? "write" : "read";
  if (previous) kind = "Previous " + kind;
  else kind[0] = static_cast<char>(std::toupper(kind[0]));
  fmt::format_to(std::back_inserter(out), "  {} of {} by thread {} at step {}:\n    #0 {}\n    locks held: {}\n\n", kind,
                 object_label(r, a.object), a.thread, a.step, where(a.loc), locks_text(r, a.locks_held));
}

void wait_block(std::string& out, const run_report& r, const wait_info& w) {
  switch (w.what) {
    case wait_info::on::mutex:
      if (w.holder == w.thread)
        fmt::format_to(std::back_inserter(out), "  {} waits for {}, which it already holds{}:\n", w.thread,
                       object_label(r, w.object), w.held_shared ? " shared" : "");
      else if (w.holder != no_thread)
        fmt::format_to(std::back_inserter(out), "  {} waits for {}, held {}by {}:\n", w.thread, object_label(r, w.object),
                       w.held_shared ? "shared " : "", w.holder);
      else
        fmt::format_to(std::back_inserter(out), "  {} waits for {}:\n", w.thread, object_label(r, w.object));
      fmt::format_to(std::back_inserter(out), "    #0 {} (waiting since step {})\n", where(w.loc), w.step);
      if (w.holder != no_thread)
        fmt::format_to(std::back_inserter(out), "    {} acquired {}by {} at {}\n", object_short_id(r, w.object),
                       w.held_shared ? "shared " : "", w.holder, where(w.held_at));
      break;
    case wait_info::on::join:
      fmt::format_to(std::back_inserter(out), "  {} waits for thread {} to finish:\n    #0 {} (waiting since step {})\n",
                     w.thread, w.holder, where(w.loc), w.step);
      break;
    case wait_info::on::condition:
      fmt::format_to(std::back_inserter(out), "  {} waits on {}:\n    #0 {} (waiting since step {})\n", w.thread,
                     object_label(r, w.object), where(w.loc), w.step);
      break;
    case wait_info::on::semaphore:
      fmt::format_to(std::back_inserter(out), "  {} waits for a permit of {}:\n    #0 {} (waiting since step {})\n",
                     w.thread, object_label(r, w.object), where(w.loc), w.step);
      break;
    case wait_info::on::coroutine:
      if (w.via == no_object)
        fmt::format_to(std::back_inserter(out), "  {} (on {}'s event loop) awaits {}:\n", object_label(r, w.object), w.thread,
                       object_label(r, w.holder_task));
      else if (w.holder_task != no_object)
        fmt::format_to(std::back_inserter(out), "  {} (on {}'s event loop) awaits {}, held by {}:\n",
                       object_label(r, w.object), w.thread, object_label(r, w.via), object_label(r, w.holder_task));
      else
        fmt::format_to(std::back_inserter(out), "  {} (on {}'s event loop) awaits {}; nothing left to run will wake it:\n",
                       object_label(r, w.object), w.thread, object_label(r, w.via));
      fmt::format_to(std::back_inserter(out), "    #0 {} (waiting since step {})\n", where(w.loc), w.step);
      if (w.via != no_object && w.holder_task != no_object)
        fmt::format_to(std::back_inserter(out), "    {} took {} at {}\n", object_short_id(r, w.holder_task),
                       object_short_id(r, w.via), where(w.held_at));
      break;
    case wait_info::on::task:
      if (!w.queued)
        fmt::format_to(std::back_inserter(out), "  {} waits for a task of {}, running on {}:\n", w.thread,
                       object_label(r, w.object), w.holder);
      else if (w.holder != no_thread)
        fmt::format_to(std::back_inserter(out), "  {} waits for a task still queued in {}; every worker is busy, {} among them:\n",
                       w.thread, object_label(r, w.object), w.holder);
      else
        fmt::format_to(std::back_inserter(out), "  {} waits for a task still queued in {}:\n", w.thread,
                       object_label(r, w.object));
      fmt::format_to(std::back_inserter(out), "    #0 {} (waiting since step {})\n    task submitted at {}\n", where(w.loc),
                     w.step, where(w.held_at));
      break;
  }
  out += "\n";
}

void finding_body(std::string& out, const run_report& r, const finding& f) {
  switch (f.kind) {
    case verdict::data_race:
      for (std::size_t i = 0; i < f.accesses.size(); ++i) access_block(out, r, f.accesses[i], i > 0);
      if (!f.accesses.empty() && f.accesses[0].object < r.objects.size())
        fmt::format_to(std::back_inserter(out), "  {} is declared at {}\n\n", object_label(r, f.accesses[0].object),
                       where(r.objects[f.accesses[0].object].declared_at));
      return;
    case verdict::deadlock:
    case verdict::lost_wakeup: {
      if (f.cycle && f.waits.front().what == wait_info::on::coroutine) {
        std::string path;
        bool locks = false;
        for (const auto& w : f.waits) {
          path += object_short_id(r, w.object) + " -> ";
          locks = locks || w.via != no_object;
        }
        fmt::format_to(std::back_inserter(out), "  Cycle of tasks {}: {}{}\n\n",
                       locks ? "waiting for each other's async locks" : "awaiting each other", path,
                       object_short_id(r, f.waits.front().object));
      } else if (f.cycle) {
        std::string path;
        for (const auto& w : f.waits) path += fmt::format("{} -> ", w.thread);
        fmt::format_to(std::back_inserter(out), "  Cycle in the wait-for graph: {}{}\n\n", path, f.waits.front().thread);
      } else {
        fmt::format_to(std::back_inserter(out), "  {}\n\n", f.message);
      }
      for (const wait_info& w : f.waits) wait_block(out, r, w);
      break;
    }
    case verdict::lock_order_inversion: {
      std::string path;
      for (const auto& e : f.edges) path += object_short_id(r, e.first) + " => ";
      if (!f.edges.empty()) path += object_short_id(r, f.edges.front().first);
      fmt::format_to(std::back_inserter(out), "  Cycle in the lock-order graph: {}\n\n", path);
      for (const auto& e : f.edges)
        fmt::format_to(std::back_inserter(out),
                       "  {} acquired by {} while holding {} (step {}):\n    #0 {} ({} acquired here)\n"
                       "    #1 {} ({} acquired here)\n\n",
                       object_label(r, e.second), e.thread, object_label(r, e.first), e.step, where(e.second_loc),
                       object_short_id(r, e.second), where(e.first_loc), object_short_id(r, e.first));
      break;
    }
    case verdict::starvation:
      fmt::format_to(std::back_inserter(out), "  {}\n\n", f.message);
      for (const auto& w : f.waits) {
        if (w.what == wait_info::on::task)
          fmt::format_to(std::back_inserter(out), "  The task {} submitted wants a worker of {} (queued at step {}):\n",
                         w.thread, object_label(r, w.object), w.step);
        else
          fmt::format_to(std::back_inserter(out), "  {} wants {} (since step {}):\n", w.thread, object_label(r, w.object),
                         w.step);
        fmt::format_to(std::back_inserter(out), "    #0 {}\n\n", where(w.loc));
      }
      break;
    case verdict::clean:
    case verdict::mutex_misuse:
    case verdict::livelock:
    case verdict::loop_stall:
    case verdict::task_exception_lost:
    case verdict::never_awaited:
    case verdict::task_orphaned:
    case verdict::slowdown:
    case verdict::assertion_failed:
    case verdict::uncaught_exception:
    case verdict::crash:
    case verdict::timeout:
    case verdict::step_limit: {
      std::string who = f.thread != no_thread ? fmt::format(" in thread {}", f.thread) : "";
      fmt::format_to(std::back_inserter(out), "  {}{}:\n    #0 {}", f.message, who, where(f.loc));
      if (f.thread != no_thread) fmt::format_to(std::back_inserter(out), " (step {})", f.step);
      out += "\n\n";
      break;
    }
  }
  for (const auto& n : f.notes) {
    std::string when = n.step ? fmt::format(" at step {}", n.step) : "";
    fmt::format_to(std::back_inserter(out), "  {} {}{}:\n    #0 {}\n\n", n.thread, n.text, when, where(n.loc));
  }
}

void threads_block(std::string& out, const run_report& r) {
  for (const auto& t : r.threads) {
    if (t.parent == no_thread) continue;
    fmt::format_to(std::back_inserter(out), "  Thread {} created by {} at {}\n", t.id, t.parent, where(t.created_at));
  }
  if (r.threads.size() > 1) out += "\n";
}

/// ":N" for a line of `home` (the file the finding points at), "file.h:N" for any other file.
std::string line_ref(const std::source_location& loc, std::string_view home) {
  std::string_view file = loc.file_name() ? loc.file_name() : "";
  if (file == home) return fmt::format(":{}", loc.line());
  auto slash = file.rfind('/');
  return fmt::format("{}:{}", slash == std::string_view::npos ? file : file.substr(slash + 1), loc.line());
}

/// Where a finding points: its own location, else where its first wait began.
const std::source_location& primary_loc(const finding& f) {
  if ((f.loc.file_name() && *f.loc.file_name()) || f.waits.empty()) return f.loc;
  return f.waits.front().loc;
}

/// The file the interleaving's ":N" line numbers are in: the finding's.
std::string_view interleaving_home(const run_report& r) {
  if (r.findings.empty()) return {};
  const std::source_location& at = primary_loc(r.findings.front());
  return at.file_name() ? at.file_name() : "";
}

void interleaving(std::string& out, const run_report& r, std::size_t max_rows) {
  const std::string_view home = interleaving_home(r);
  std::vector<const event*> rows;
  std::size_t shown = std::min(r.history_at_finding, r.history.size()), after = 0;
  for (std::size_t i = 0; i < r.history.size(); ++i) {
    const event& e = r.history[i];
    if (e.kind == op::thread_start || e.kind == op::thread_finish) continue;
    if (i < shown) rows.push_back(&e);
    else ++after;
  }
  if (rows.empty()) return;
  std::size_t nthreads = std::max<std::size_t>(r.threads.size(), 1);
  std::vector<std::string> cells(rows.size());
  std::vector<std::size_t> width(nthreads, 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    cells[i] = fmt::format("{} {}", describe(r, *rows[i]), line_ref(rows[i]->loc, home));
    auto t = std::min<std::size_t>(rows[i]->thread, nthreads - 1);
    width[t] = std::max(width[t], cells[i].size());
  }
  for (std::size_t t = 0; t < nthreads; ++t) width[t] = std::max<std::size_t>(width[t], 3);
  fmt::format_to(std::back_inserter(out),
                 "  Interleaving of execution {}, {} steps (:N = line N of {};\n"
                 "  a gap in the step numbers = another thread was chosen there):\n",
                 r.schedule + 1, r.steps, home.empty() ? std::string_view("the scenario") : home);
  std::string header = fmt::format("  {:>5}", "step");
  for (std::size_t t = 0; t < nthreads; ++t) header += fmt::format("  {:<{}}", fmt::format("{}", thread_id{t}), width[t]);
  while (!header.empty() && header.back() == ' ') header.pop_back();
  out += header + "\n";
  std::size_t head = max_rows / 4, tail = max_rows - head;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows.size() > max_rows && i == head) {
      fmt::format_to(std::back_inserter(out), "  {:>5}  ({} rows omitted)\n", "...", rows.size() - max_rows);
      i = rows.size() - tail;
    }
    std::string line = fmt::format("  {:>5}", rows[i]->step);
    for (std::size_t t = 0; t < nthreads; ++t)
      line += fmt::format("  {:<{}}", t == rows[i]->thread ? cells[i] : "", width[t]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  if (after > 0)
    fmt::format_to(std::back_inserter(out), "  {:>5}  (the finding was made here; the execution ran on to its end: {} more rows)\n",
                   "...", after);
  out += "\n";
}

/// "T2's store of 1 at :22 (step 5, relaxed)", or "the initial value".
std::string store_text(const run_report& r, std::optional<std::size_t> at, std::string_view home) {
  if (!at) return "the initial value";
  const event& s = r.history[*at];
  std::string value = s.has_value ? fmt::format(" of {}", static_cast<std::int64_t>(s.arg)) : "";
  return fmt::format("{}'s {}{} at {} (step {}, {})", thread_id{s.thread}, s.kind == op::atomic_rmw ? "RMW" : "store",
                     value, line_ref(s.loc, home), s.step, to_string(s.order));
}

/// The loads that read a store older than the latest (the weak memory model), each with the
/// stores it missed: what makes a weak-ordering bug readable.
void stale_reads_block(std::string& out, const run_report& r, std::string_view home) {
  const auto stale = stale_reads(r.history, std::min(r.history_at_finding, r.history.size()));
  if (stale.empty()) return;
  out += "  Stale reads (C++'s memory model lets a load miss a store that does not happen-before it):\n";
  for (const auto& s : stale) {
    const event& l = r.history[s.load];
    std::string missed;
    for (std::size_t k = 0; k < s.unseen.size(); ++k)
      missed += (k == 0 ? "" : k + 1 == s.unseen.size() ? " and " : ", ") + store_text(r, s.unseen[k], home);
    std::string value = l.has_value ? fmt::format(" {}", static_cast<std::int64_t>(l.arg)) : "";
    fmt::format_to(std::back_inserter(out),
                   "    {}'s load of {} at {} (step {}, {}) read{}{} {}; not yet visible to {}: {}{}.\n",
                   thread_id{l.thread}, object_label(r, l.object), line_ref(l.loc, home), l.step, to_string(l.order),
                   value, s.source ? " from" : ",", store_text(r, s.source, home), thread_id{l.thread}, missed,
                   l.order == atomic_order::relaxed ? " (a relaxed load synchronises with nothing)" : "");
  }
  out += "\n";
}

std::string ms(std::uint64_t ns) { return fmt::format("{:.3f} ms", static_cast<double>(ns) / 1e6); }

/// What the scenario measured; `indent` is "" for a clean run's lines and "  " inside a warning.
void measurements_block(std::string& out, const run_report& r, std::string_view indent) {
  if (r.measurements.empty()) return;
  std::string_view clock = r.backend == "sim" ? "virtual" : "real";
  if (r.findings.empty())
    fmt::format_to(std::back_inserter(out), "{}Measured in {} time over {} execution(s):\n", indent, clock,
                   r.measured_executions);
  else
    fmt::format_to(std::back_inserter(out), "{}Measured in {} time in this execution:\n", indent, clock);
  for (const auto& m : r.measurements)
    fmt::format_to(std::back_inserter(out), "{}  {}: {} sample(s), p50 {}, p99 {}, max {}\n", indent, m.name, m.count,
                   ms(m.p50_ns), ms(m.p99_ns), ms(m.max_ns));
  if (!r.findings.empty()) out += "\n";
}

}  // namespace

std::string render_text(const run_report& r, std::size_t max_rows) {
  std::string out;
  if (r.findings.empty()) {
    fmt::format_to(std::back_inserter(out), "conlab: {} is {}: {} ({} backend, {} strategy, seed {}).\n", r.scenario,
                   r.result == verdict::clean ? "clean" : to_string(r.result), r.note, r.backend, r.strategy, r.seed);
    measurements_block(out, r, "");
    if (!r.replay.empty()) fmt::format_to(std::back_inserter(out), "Replay: {}\n", replay_line(r));
    return out;
  }
  const finding& f = r.findings.front();
  out += "==================\n";
  fmt::format_to(std::back_inserter(out), "WARNING: conlab: {} ({})\n", title(f.kind), r.scenario);
  finding_body(out, r, f);
  threads_block(out, r);
  measurements_block(out, r, "  ");
  stale_reads_block(out, r, interleaving_home(r));
  interleaving(out, r, max_rows);
  fmt::format_to(std::back_inserter(out), "SUMMARY: conlab: {} {} in {}\n", title(f.kind), where(primary_loc(f)),
                 r.scenario);
  out += "==================\n";
  if (r.replayed) {
    fmt::format_to(std::back_inserter(out), "Replayed execution {} of the exploration that found it ({} backend, {} strategy, seed {}).\n",
                   r.schedule + 1, r.backend, r.strategy, r.seed);
  } else {
    fmt::format_to(std::back_inserter(out), "Found in execution {} of {} ({} backend, {} strategy, seed {}{}); ",
                   r.schedule + 1, r.stats.executions, r.backend, r.strategy, r.seed,
                   r.shard.empty() ? std::string() : ", shard " + r.shard);
    out += r.reproduced ? "replayed with full history: same verdict.\n" : "NOT reproduced on replay.\n";
  }
  if (!r.minimisation.empty())
    fmt::format_to(std::back_inserter(out), "{}{}.\n", static_cast<char>(std::toupper(r.minimisation[0])),
                   std::string_view(r.minimisation).substr(1));
  if (!r.note.empty()) fmt::format_to(std::back_inserter(out), "Note: {}\n", r.note);
  if (!r.replay.empty()) fmt::format_to(std::back_inserter(out), "Replay: {}\n", replay_line(r));
  return out;
}

}  // namespace lab::reports
