// `conlab play`: the game is a prefix of choices. Each frame re-runs the program from the start
// under a strategy that answers the prefix and, at the first choice after it, notes what is on
// offer (who may step, what each thread does next and where) and lets the rest of the execution
// run on its first options, unseen. A key appends a choice, or takes the last one back; so back
// is as cheap as forward and every frame is exactly what the runtime did. Every plain access is
// a scheduling point here (run_mode::every_access), so a read and a write of `x = x + 1` can be
// pulled apart by hand; the token of a finding carries the strategy name "play", by which
// `conlab replay` knows to run in that mode too.
#include "harness/cli/play.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/explore/explorer.h"
#include "harness/explore/worker.h"
#include "harness/loop/event_loop.h"
#include "reports/labels.h"
#include "reports/text.h"

namespace lab::cli {
namespace {

/// Answers the prefix, then notes the first choice after it and takes option 0 from there on.
class play_strategy final : public strategy {
 public:
  struct offer {
    bool thread = true;  ///< a thread pick (else a value choice of `kind`)
    choice_kind kind = choice_kind::ready_task;
    std::uint64_t bound = 0;
    std::vector<thread_id> runnable;
    thread_id current = no_thread;
    std::size_t events = 0;  ///< the history's length at the choice: what happened so far
    std::vector<pending_op> next;             ///< per thread
    std::vector<std::source_location> where;  ///< per thread
    std::vector<bool> finished;               ///< per thread
    std::vector<loop_queue_view> loops;       ///< every event loop's queues at the choice
  };

  play_strategy(const std::vector<std::uint64_t>& prefix, const rt::execution& ex) : prefix_(prefix), ex_(ex) {}
  std::string_view name() const override { return "play"; }
  bool begin_execution(std::uint64_t index) override {
    k_ = 0;
    made.clear();
    point.reset();
    diverged = false;
    return index == 0;
  }
  pick next_thread(const choice_point& p) override {
    return pick_rank(p.runnable, answer(member_count(p.runnable), true, choice_kind::ready_task, &p));
  }
  std::uint64_t next_value(std::uint64_t bound, choice_kind kind) override { return answer(bound, false, kind, nullptr); }

  std::optional<offer> point;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> made;  ///< (answer, bound) of the prefix
  bool diverged = false;

 private:
  std::uint64_t answer(std::uint64_t bound, bool thread, choice_kind kind, const choice_point* p) {
    if (k_ < prefix_.size()) {
      std::uint64_t v = prefix_[k_++];
      if (v >= bound) {
        diverged = true;
        v = 0;
      }
      made.emplace_back(v, bound);
      return v;
    }
    if (!point) {
      offer o{.thread = thread, .kind = kind, .bound = bound, .events = ex_.history().size()};
      if (p) {
        for (std::uint64_t i = 0; i < bound; ++i) o.runnable.push_back(nth_member(p->runnable, i));
        o.current = p->current;
      }
      std::size_t threads = ex_.thread_table().size();
      for (std::size_t t = 0; t < threads; ++t) {
        o.next.push_back(ex_.next_op(thread_id{t}));
        o.where.push_back(ex_.pending_loc(thread_id{t}));
        o.finished.push_back(ex_.finished(thread_id{t}));
      }
      o.loops = live_loop_queues();
      point = std::move(o);
    }
    ++k_;
    return 0;
  }
  const std::vector<std::uint64_t>& prefix_;
  const rt::execution& ex_;
  std::size_t k_ = 0;
};

/// One frame: the execution up to the choice the learner is at.
struct snapshot {
  run_report view;  ///< history cut at the choice (or the whole execution when it ended)
  std::optional<play_strategy::offer> point;
  std::optional<finding> reached;  ///< a finding within what the learner chose
  std::vector<std::pair<std::uint64_t, std::uint64_t>> made;
  bool diverged = false;
  bool cut = false;  ///< the execution hit the step limit
};

snapshot run_prefix(const scenario& s, const options& opts, const std::vector<std::uint64_t>& prefix, bool every_access) {
  worker w(opts, true);
  play_strategy strat(prefix, w.ex);
  strat.begin_execution(0);
  body_fn body = s.body;
  w.run(body, strat, {.max_steps = opts.max_steps, .history = true, .every_access = every_access});
  snapshot snap;
  snap.point = strat.point;
  snap.made = strat.made;
  snap.diverged = strat.diverged;
  const auto& out = w.ex.outcome();
  snap.view.scenario = s.full_name();
  snap.view.history = w.ex.history();
  snap.view.threads = w.ex.thread_table();
  snap.view.objects = w.ex.object_table();
  const std::size_t seen = snap.point ? snap.point->events : snap.view.history.size();
  if (out.definite && (!snap.point || out.events_at_finding <= seen)) snap.reached = out.definite;
  else if (out.potential && !snap.point) snap.reached = out.potential;
  if (snap.reached && snap.reached->kind == verdict::step_limit) snap.cut = true;
  snap.view.history.resize(std::min(seen, snap.view.history.size()));
  if (snap.reached) snap.view.history.resize(std::min(snap.view.history.size(), out.definite ? out.events_at_finding : seen));
  return snap;
}

replay_token token_of(const scenario& s, const options& opts, const snapshot& snap) {
  replay_token t{s.full_name(), "play", opts.seed, 0, {}};
  for (auto [v, bound] : snap.made) t.choices.push(v, bound);
  return t;
}

// ---- drawing --------------------------------------------------------------------------------

constexpr std::size_t width = 80;

std::string fit(std::string s, std::size_t w = width) {
  if (s.size() > w) s = s.substr(0, w - 1) + "~";
  return s;
}

class sources {
 public:
  explicit sources(std::string root) : root_(std::move(root)) {}
  const std::vector<std::string>* lines(const std::string& file) {
    auto it = cache_.find(file);
    if (it != cache_.end()) return it->second.empty() ? nullptr : &it->second;
    std::vector<std::string> v;
    for (const std::string& path : {root_.empty() ? file : root_ + "/" + file, file}) {
      std::ifstream in(path);
      if (!in) continue;
      for (std::string line; std::getline(in, line);) v.push_back(line);
      break;
    }
    return (cache_[file] = std::move(v)).empty() ? nullptr : &cache_[file];
  }

 private:
  std::string root_;
  std::map<std::string, std::vector<std::string>> cache_;
};

std::string tname(thread_id t) { return fmt::format("T{}", static_cast<std::uint32_t>(t)); }

std::string_view value_question(choice_kind k) {
  switch (k) {
    case choice_kind::spurious_wakeup: return "does the wait wake spuriously?";
    case choice_kind::ready_task: return "which ready task does the loop resume?";
    case choice_kind::reads_from: return "which store does the load read? (1 = the latest)";
    case choice_kind::spurious_failure: return "does compare_exchange_weak fail spuriously?";
    case choice_kind::store_order: return "where does the store go in modification order? (1 = last)";
  }
  return "which option?";
}

std::string option_label(const snapshot& s, std::uint64_t i) {
  const play_strategy::offer& o = *s.point;
  if (o.thread) return tname(o.runnable[i]);
  if (o.kind == choice_kind::ready_task) {
    // The loop choosing is the one whose ready list is as long as the choice (the tasks by name
    // where only one loop fits).
    const loop_queue_view* choosing = nullptr;
    int fits = 0;
    for (const auto& l : o.loops)
      if (l.ready.size() == o.bound) {
        choosing = &l;
        ++fits;
      }
    if (fits == 1) return reports::object_short_id(s.view, choosing->ready[i]);
  }
  if (is_spurious(o.kind)) return i == 0 ? "no" : "yes";
  if (o.kind == choice_kind::reads_from) return i == 0 ? "latest" : fmt::format("{} older", i);
  if (o.kind == choice_kind::store_order) return i == 0 ? "last" : fmt::format("before {}", i);
  return i == 0 ? "oldest" : fmt::format("#{}", i + 1);
}

/// What thread t is doing, from the history so far and its pending operation.
std::string thread_status(const snapshot& s, std::size_t t) {
  bool started = false, blocked = false;
  const event* last = nullptr;
  for (const event& e : s.view.history)
    if (e.thread == t) {
      started = true;
      last = &e;
    }
  if (!s.point) {  // the end: where each thread stopped
    if (last && last->kind == op::thread_finish) return "finished";
    return last ? fmt::format("stopped after: {}{}", reports::describe(s.view, *last),
                              last->loc.line() ? fmt::format(" :{}", last->loc.line()) : "")
                : "never ran";
  }
  const auto& o = *s.point;
  if (o.finished[t]) return "finished";
  if (!started && t != 0) return "not started";
  if (last) {
    op k = last->kind;
    blocked = k == op::lock_blocked || k == op::join_blocked || k == op::cv_wait || k == op::sem_blocked ||
              k == op::shared_blocked;
    if (blocked && std::find(o.runnable.begin(), o.runnable.end(), thread_id{t}) == o.runnable.end())
      return fmt::format("waits: {}", reports::describe(s.view, *last));
  }
  event next{};
  next.kind = o.next[t].kind;
  next.object = o.next[t].object;
  // A thread resumed where it was not stopped at a scheduling point (a join that returned) has
  // no operation noted: it runs on from its last step.
  if (next.kind == op::thread_start && started)
    return fmt::format("runs on after: {}", reports::describe(s.view, *last));
  std::string what = next.kind == op::thread_start ? std::string("start") : reports::describe(s.view, next);
  std::string at = o.where[t].line() ? fmt::format(" :{}", o.where[t].line()) : "";
  return fmt::format("next: {}{}", what, at);
}

/// The shared state so far: each object's latest value, each lock's holder.
std::vector<std::string> state_lines(const snapshot& s) {
  std::map<object_id, std::string> value;
  std::map<object_id, std::set<std::uint32_t>> holders;
  for (const event& e : s.view.history) {
    if ((e.kind == op::write || e.kind == op::atomic_store || e.kind == op::atomic_rmw) && e.has_value)
      value[e.object] = fmt::format("= {}", static_cast<std::int64_t>(e.arg));
    if ((e.kind == op::read || e.kind == op::atomic_load) && e.has_value && !value.contains(e.object))
      value[e.object] = fmt::format("= {}", static_cast<std::int64_t>(e.arg));
    if (e.kind == op::lock_acquired || e.kind == op::shared_acquired) holders[e.object].insert(e.thread);
    if (e.kind == op::unlock || e.kind == op::shared_unlock) holders[e.object].erase(e.thread);
  }
  std::vector<std::string> items;
  for (const auto& obj : s.view.objects) {
    if (obj.id == no_object) continue;
    std::string label = reports::object_label(s.view, obj.id);
    if (auto v = value.find(obj.id); v != value.end()) items.push_back(label + " " + v->second);
    else if (auto h = holders.find(obj.id); h != holders.end()) {
      std::string who;
      for (auto t : h->second) who += (who.empty() ? "" : ",") + tname(thread_id{t});
      items.push_back(label + (who.empty() ? " free" : " held by " + who));
    } else if (obj.kind == object_kind::mutex) {
      items.push_back(label + " free");
    }
  }
  std::vector<std::string> lines;
  std::string line = " state:";
  for (const auto& it : items) {
    if (line.size() + it.size() + 3 > width) {
      lines.push_back(line);
      line = "       ";
    }
    line += "  " + it;
  }
  if (items.empty()) line += "  (nothing shared used yet)";
  lines.push_back(line);
  // Each event loop's queues: who it may resume now, who sleeps until when, who waits for whom.
  if (s.point)
    for (const loop_queue_view& l : s.point->loops) {
      auto id = [&](object_id k) { return reports::object_short_id(s.view, k); };
      auto list = [](std::string_view what, const std::vector<std::string>& v) {
        std::string o;
        for (const auto& x : v) o += (o.empty() ? "" : " ") + x;
        return fmt::format(" {} [{}]", what, o);
      };
      std::vector<std::string> ready, sleeping, waiting, parked;
      for (object_id k : l.ready) ready.push_back(id(k));
      for (const auto& [k, due] : l.sleeping) sleeping.push_back(fmt::format("{} till {:g} ms", id(k), static_cast<double>(due) / 1e6));
      for (const auto& [k, on] : l.awaiting) waiting.push_back(fmt::format("{} on {}", id(k), id(on)));
      for (object_id k : l.parked) parked.push_back(id(k));
      std::string q = fmt::format(" loop '{}':{}", l.name, list("ready", ready));
      if (!sleeping.empty()) q += list("sleeping", sleeping);
      if (!waiting.empty()) q += list("waiting", waiting);
      if (!parked.empty()) q += list("parked", parked);
      if (l.callbacks) q += fmt::format(" callbacks {}", l.callbacks);
      if (l.executor_jobs) q += fmt::format(" executor jobs {}", l.executor_jobs);
      lines.push_back(std::move(q));
    }
  return lines;
}

std::vector<std::string> draw(const scenario& sc, const snapshot& s, sources& src, std::size_t choice_no,
                              std::string_view mode, std::string_view message) {
  std::vector<std::string> out;
  std::string goal = fmt::format("goal: {}", sc.expected == verdict::clean ? std::string_view("none, it is fixed")
                                                                           : reports::title(sc.expected));
  std::string head = fmt::format(" conlab play {}{}", sc.full_name(), mode == "replay" ? " (replay)" : "");
  std::string tail = fmt::format("{}   choice {} ", goal, choice_no + 1);
  out.push_back(fit(head + std::string(head.size() + tail.size() < width ? width - head.size() - tail.size() : 1, ' ') + tail));
  out.push_back(std::string(width, '-'));

  // The source, one column per thread marking where it is: at its next operation, or at the end
  // where it stopped.
  std::size_t nthreads = s.point ? s.point->next.size() : s.view.threads.size();
  std::vector<std::source_location> at(nthreads);
  std::vector<bool> done(nthreads, false);
  for (const event& e : s.view.history)
    if (e.thread < nthreads) {
      if (e.loc.line()) at[e.thread] = e.loc;
      if (e.kind == op::thread_finish) done[e.thread] = true;
    }
  if (s.point)
    for (std::size_t t = 0; t < nthreads; ++t) {
      if (s.point->where[t].line()) at[t] = s.point->where[t];
      done[t] = s.point->finished[t];
    }
  // The file most of it happens in, the program's own over the lab's (an event loop's internals
  // run at harness/loop/ lines before the first task does anything).
  std::string file;
  std::map<std::string, int> votes;
  auto lab_file = [](std::string_view f) { return f.starts_with("harness/") || f.starts_with("/usr/"); };
  for (const auto& w : at)
    if (w.line()) ++votes[w.file_name()];
  for (const event& e : s.view.history)
    if (e.loc.line()) ++votes[e.loc.file_name()];
  for (const auto& [f, n] : votes)
    if (file.empty() || (lab_file(file) && !lab_file(f)) || (lab_file(file) == lab_file(f) && n > votes[file])) file = f;
  std::vector<std::string> body;
  const std::vector<std::string>* lines = file.empty() ? nullptr : src.lines(file);
  std::size_t gutter = std::min<std::size_t>(nthreads, 8) * 3;
  std::string cols;
  for (std::size_t t = 0; t < std::min<std::size_t>(nthreads, 8); ++t) cols += fmt::format("{:>3}", tname(thread_id{t}));
  body.push_back(fit(fmt::format("{} | {}", cols, file.empty() ? "(no source)" : file)));
  const std::size_t room = 11;
  if (lines) {
    // The window that shows the most threads' lines (the earliest of equals), from 3 lines above.
    std::vector<std::uint32_t> marks;
    for (std::size_t t = 0; t < nthreads; ++t)
      if (at[t].line() && at[t].file_name() == file && !done[t]) marks.push_back(at[t].line());
    std::sort(marks.begin(), marks.end());
    std::size_t first = 1, best = 0;
    for (std::uint32_t m : marks) {
      std::size_t start = m > 3 ? m - 3 : 1;
      std::size_t n = std::count_if(marks.begin(), marks.end(), [&](std::uint32_t x) { return x >= start && x < start + room; });
      if (n > best) {
        best = n;
        first = start;
      }
    }
    for (std::size_t n = first; n < first + room && n <= lines->size(); ++n) {
      std::string mark;
      for (std::size_t t = 0; t < std::min<std::size_t>(nthreads, 8); ++t) {
        bool here = !done[t] && at[t].line() == n && at[t].file_name() == file;
        mark += here ? "  >" : "   ";
      }
      body.push_back(fit(fmt::format("{} |{:>4} {}", mark, n, (*lines)[n - 1])));
    }
  }
  while (body.size() < room + 1) body.push_back(std::string(gutter, ' ') + " |");
  out.insert(out.end(), body.begin(), body.end());
  out.push_back(std::string(width, '-'));

  // Who does what next; the shared state; the latest step.
  for (std::size_t t = 0; t < nthreads; ++t) {
    out.push_back(fit(fmt::format(" {} {}", tname(thread_id{t}), thread_status(s, t))));
    if (out.size() > 18) break;
  }
  for (auto& l : state_lines(s)) out.push_back(fit(l));
  if (!s.view.history.empty()) {
    const event& e = s.view.history.back();
    out.push_back(fit(fmt::format(" last: {} {}{}", tname(e.thread), reports::describe(s.view, e),
                                  e.loc.line() ? fmt::format(" :{}", e.loc.line()) : "")));
  }
  while (out.size() < 21) out.push_back("");
  out.resize(21);
  out.push_back(std::string(width, '-'));
  // The question and the keys.
  std::string ask;
  if (s.reached) {
    ask = fmt::format(" {} REACHED: {} - {}", s.cut ? "STEP LIMIT" : "GOAL", reports::title(s.reached->kind),
                      s.reached->message);
  } else if (s.point) {
    ask = s.point->thread ? " who steps?" : fmt::format(" {}", value_question(s.point->kind));
    for (std::uint64_t i = 0; i < s.point->bound && i < 9; ++i)
      ask += fmt::format(" [{}] {}", i + 1, option_label(s, i));
  } else {
    ask = " the program ended without a finding: b to go back and choose otherwise";
  }
  out.push_back(fit(ask));
  std::string keys = s.reached        ? " Enter: the report   b/left: back   r: start over   q: quit"
                     : mode == "replay" ? " n/right: forward   b/left: back   r: start   q: quit"
                                        : " 1-9: choose   n: the first   b/left: back   r: start over   q: quit";
  if (!message.empty()) keys = fit(std::string(" ") + std::string(message));
  out.push_back(fit(keys));
  return out;
}

// ---- the terminal ---------------------------------------------------------------------------

class raw_terminal {
 public:
  raw_terminal() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    ok_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0;
    std::fputs("\x1b[?1049h\x1b[?25l", stdout);
  }
  ~raw_terminal() {
    std::fputs("\x1b[?25h\x1b[?1049l", stdout);
    std::fflush(stdout);
    if (ok_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  raw_terminal(const raw_terminal&) = delete;
  raw_terminal& operator=(const raw_terminal&) = delete;

 private:
  termios saved_{};
  bool ok_ = false;
};

/// The next key: a character, or 'L' / 'R' for the arrow keys; -1 at the end of input.
int next_key(std::FILE* in) {
  int c = std::fgetc(in);
  if (c == 0x1b) {
    int b = std::fgetc(in);
    if (b == '[') {
      int d = std::fgetc(in);
      return d == 'D' ? 'L' : d == 'C' ? 'R' : 0;
    }
    return 'q';
  }
  return c == EOF ? -1 : c;
}

}  // namespace

int play(const play_args& a, std::FILE* out) {
  const scenario& sc = *a.target;
  options opts = a.opts;
  sources src(a.source_root);
  std::vector<std::uint64_t> chosen;
  std::vector<std::uint64_t> script;  // --replay: the token's answers
  const bool replaying = a.token != nullptr;
  // Played executions pull every access apart; an exploration's token steps as it was found.
  const bool every_access = !replaying || a.token->strategy == "play";
  if (replaying) {
    // Learn the token's answers (the bounds are known only as the program runs).
    struct reader_strategy final : strategy {
      explicit reader_strategy(const schedule& s) : r(s) {}
      std::string_view name() const override { return "replay"; }
      bool begin_execution(std::uint64_t i) override { return i == 0; }
      pick next_thread(const choice_point& p) override { return pick_rank(p.runnable, take(member_count(p.runnable))); }
      std::uint64_t next_value(std::uint64_t bound, choice_kind) override { return take(bound); }
      std::uint64_t take(std::uint64_t bound) {
        if (r.at_end()) return 0;
        auto v = r.next(bound);
        if (!v) return 0;
        answers.push_back(*v);
        return *v;
      }
      schedule::reader r;
      std::vector<std::uint64_t> answers;
    } rd(a.token->choices);
    worker w(opts, true);
    body_fn body = sc.body;
    w.run(body, rd, {.max_steps = opts.max_steps, .history = true, .every_access = every_access});
    script = rd.answers;
  }
  std::string message;
  auto frame_of = [&] { return run_prefix(sc, opts, chosen, every_access); };
  snapshot snap = frame_of();
  std::optional<raw_terminal> term;
  if (!a.scripted) term.emplace();
  std::size_t frames = 0;
  auto show = [&] {
    auto lines = draw(sc, snap, src, chosen.size(), replaying ? "replay" : "you are the scheduler", message);
    if (a.scripted) {
      fmt::print(out, "=== frame {} ===\n", ++frames);
      for (const auto& l : lines) fmt::print(out, "{}\n", l);
    } else {
      std::string screen = "\x1b[H\x1b[2J";
      for (std::size_t i = 0; i < lines.size(); ++i) screen += lines[i] + (i + 1 < lines.size() ? "\r\n" : "");
      std::fputs(screen.c_str(), out);
    }
    std::fflush(out);
    message.clear();
  };
  show();
  for (;;) {
    int key = next_key(a.keys);
    if (key == -1) {
      if (a.scripted) fmt::print(out, "conlab play: the keys ended before the game did\n");
      return incomplete;
    }
    if (a.scripted && (key == '\n' || key == ' ') && !snap.reached) continue;
    if (key == 'q' || key == 3) return ok;
    if (key == 'r') {
      chosen.clear();
    } else if (key == 'b' || key == 'L' || key == 127 || key == 8) {
      if (chosen.empty()) message = "at the start: nothing to take back";
      else chosen.pop_back();
    } else if (snap.reached && (key == '\n' || key == '\r' || key == 'e')) {
      term.reset();
      // The report as `conlab replay` prints it: of the token replayed, or of the one made here.
      replay_token t = replaying ? *a.token : token_of(sc, opts, snap);  // (replay: only along the token)
      run_report r = replay(t, sc.body, opts);
      std::string text = reports::render_text(r);
      fmt::print(out, "{}", text);
      return found;
    } else if (snap.reached) {
      message = "the goal is reached: Enter shows the report (b: back)";
    } else if (!snap.point) {
      message = "the program ended: b goes back";
    } else if (replaying) {
      if (key == 'n' || key == 'R' || key == ' ') {
        if (chosen.size() < script.size()) chosen.push_back(script[chosen.size()]);
        else message = "the end of the token";
      } else {
        message = "replay: n or right steps forward, b or left back";
      }
    } else if (key == 'n' || key == 'R') {
      chosen.push_back(0);
    } else if (key >= '1' && key <= '9') {
      std::uint64_t i = static_cast<std::uint64_t>(key - '1');
      if (i < snap.point->bound) chosen.push_back(i);
      else message = fmt::format("there are {} options here", snap.point->bound);
    } else {
      message = "keys: 1-9 choose, n the first option, b back, r start over, q quit";
    }
    snap = frame_of();
    show();
  }
}

}  // namespace lab::cli
