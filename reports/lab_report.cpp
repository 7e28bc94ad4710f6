// The lab report's derived parts: from a run report's history to lanes, spans and the events
// its finding points at (the model decides what is highlighted, so every renderer highlights the
// same things), and the short views of a variant every renderer shows alike.
#include <fmt/format.h>

#include <algorithm>

#include "harness/trace/reads_from.h"
#include "reports/labels.h"
#include "reports/lab_report.h"

namespace lab::reports {
namespace {

std::string category(op o) {
  switch (o) {
    case op::lock_acquired:
    case op::unlock:
    case op::try_lock_failed:
    case op::mutex_destroyed:
    case op::shared_acquired:
    case op::shared_unlock:
    case op::sem_acquired:
    case op::sem_released: return "lock";
    case op::lock_blocked:
    case op::join_blocked:
    case op::cv_wait:
    case op::shared_blocked:
    case op::sem_blocked:
    case op::lock_inherited: return "wait";
    case op::read:
    case op::write: return "access";
    case op::atomic_load:
    case op::atomic_store:
    case op::atomic_rmw:
    case op::atomic_fence: return "atomic";
    case op::thread_start:
    case op::thread_spawn:
    case op::thread_finish:
    case op::thread_join:
    case op::process_fork: return "thread";
    case op::task_queued:
    case op::task_started:
    case op::task_done:
    case op::coro_created:
    case op::coro_scheduled:
    case op::coro_awaited:
    case op::coro_resumed:
    case op::coro_suspended:
    case op::coro_retrieved:
    case op::coro_dropped:
    case op::coro_waits:
    case op::coro_acquired:
    case op::coro_released:
    case op::coro_orphaned: return "task";
    case op::yield:
    case op::sleep:
    case op::work: return "time";
    case op::cv_woken:
    case op::cv_notify_one:
    case op::cv_notify_all:
    case op::assertion:
    case op::over_budget: return "other";
  }
  return "other";
}

bool opens_wait(op o) { return category(o) == "wait"; }

/// The (thread, step) pairs the finding names, with the kind of event each is about.
struct pointer {
  thread_id thread;
  std::uint32_t step;
  enum class what : std::uint8_t { access, wait, any } kind;
  object_id object = no_object;
};

std::vector<pointer> pointers_of(const finding& f) {
  std::vector<pointer> out;
  for (const auto& a : f.accesses) out.push_back({a.thread, a.step, pointer::what::access, a.object});
  for (const auto& w : f.waits) out.push_back({w.thread, w.step, pointer::what::wait});
  for (const auto& e : f.edges) out.push_back({e.thread, e.step, pointer::what::any, e.second});
  for (const auto& n : f.notes)
    if (n.step != 0) out.push_back({n.thread, n.step, pointer::what::any});
  if (f.thread != no_thread && f.step != 0) out.push_back({f.thread, f.step, pointer::what::any});
  return out;
}

bool matches(const pointer& p, const event& e) {
  if (p.thread != e.thread || p.step != e.step) return false;
  switch (p.kind) {
    case pointer::what::access: return is_access(e.kind) && e.object == p.object;
    case pointer::what::wait: return opens_wait(e.kind) || e.kind == op::coro_waits || e.kind == op::task_queued;
    case pointer::what::any: return p.object == no_object || e.object == p.object;
  }
  return false;
}

}  // namespace

timeline build_timeline(const run_report& r) {
  timeline t;
  auto lanes = static_cast<std::uint32_t>(std::max<std::size_t>(r.threads.size(), 1));
  for (std::uint32_t i = 0; i < lanes; ++i) {
    t.lanes.push_back(fmt::format("{}", thread_id{i}));
    std::string note;
    for (const auto& th : r.threads)
      if (th.id == i && th.parent != no_thread)
        note = fmt::format("created by {} at {}", th.parent, where(th.created_at));
    t.lane_notes.push_back(note);
  }
  std::vector<pointer> ptrs;
  if (!r.findings.empty()) ptrs = pointers_of(r.findings.front());
  std::size_t at_finding = std::min(r.history_at_finding, r.history.size());

  struct open_hold {
    thread_id thread;
    object_id object;
    std::uint32_t depth;
    std::size_t begin;
  };
  std::vector<open_hold> holding;
  std::vector<std::optional<timeline_span>> waiting(lanes);
  for (std::size_t i = 0; i < r.history.size(); ++i) {
    const event& e = r.history[i];
    if (e.kind == op::thread_start || e.kind == op::thread_finish) continue;
    thread_id lane{std::min<std::uint32_t>(e.thread, lanes - 1)};
    timeline_event te{.seq = i,
                      .thread = lane,
                      .step = e.step,
                      .time_ns = e.time,
                      .op = std::string(to_string(e.kind)),
                      .label = describe(r, e),
                      .category = category(e.kind),
                      .where = where(e.loc),
                      .key = std::any_of(ptrs.begin(), ptrs.end(), [&](const pointer& p) { return matches(p, e); }),
                      .after_finding = i >= at_finding};
    // A wait ends at the thread's next event that is not another wait; it began at the first.
    auto& w = waiting[lane];
    if (w && !opens_wait(e.kind)) {
      w->end = i;
      t.waits.push_back(*w);
      w.reset();
    }
    if (opens_wait(e.kind) && !w) w = timeline_span{lane, describe(r, e), i, i, false, te.key};
    if (e.kind == op::lock_acquired || e.kind == op::shared_acquired) {
      auto it = std::find_if(holding.begin(), holding.end(),
                             [&](const open_hold& h) { return h.thread == lane && h.object == e.object; });
      if (it != holding.end()) ++it->depth;
      else holding.push_back({lane, e.object, 1, i});
    }
    if (e.kind == op::unlock || e.kind == op::shared_unlock) {
      auto it = std::find_if(holding.begin(), holding.end(),
                             [&](const open_hold& h) { return h.thread == lane && h.object == e.object; });
      if (it != holding.end() && --it->depth == 0) {
        t.holds.push_back({lane, object_label(r, it->object), it->begin, i, false, false});
        holding.erase(it);
      }
    }
    t.events.push_back(std::move(te));
  }
  std::size_t last = r.history.empty() ? 0 : r.history.size() - 1;
  for (auto& w : waiting)
    if (w) {
      w->end = last;
      w->open = true;
      t.waits.push_back(*w);
    }
  for (const auto& h : holding) t.holds.push_back({h.thread, object_label(r, h.object), h.begin, last, true, false});
  auto by_begin = [](const timeline_span& a, const timeline_span& b) { return a.begin < b.begin; };
  std::sort(t.waits.begin(), t.waits.end(), by_begin);
  std::sort(t.holds.begin(), t.holds.end(), by_begin);
  for (const auto& sr : stale_reads(r.history, r.history.size())) {
    const event& l = r.history[sr.load];
    std::string from = "the initial value";
    if (sr.source) {
      const event& st = r.history[*sr.source];
      from = fmt::format("{}'s store at step {}", thread_id{st.thread}, st.step);
    }
    std::string missed;
    for (std::size_t u : sr.unseen)
      missed += fmt::format("{}{}'s at step {}", missed.empty() ? "" : ", ", thread_id{r.history[u].thread},
                            r.history[u].step);
    t.reads.push_back({thread_id{std::min<std::uint32_t>(l.thread, lanes - 1)},
                       fmt::format("reads {} from {} (stale: not yet visible: {})", object_label(r, l.object), from, missed),
                       sr.source.value_or(0), sr.load, false, false});
  }
  return t;
}

const scenario_report* find_scenario_report(const lab_report& r, std::string_view name) {
  for (const auto& s : r.scenarios)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<std::string> found_by(const variant_report& v) {
  std::vector<std::string> out;
  for (const auto& s : v.strategies)
    if (s.first) out.push_back("sim-" + s.strategy);
  for (const auto& c : v.detectors)
    if (c.first && !c.detector.starts_with("sim-")) out.push_back(c.detector);
  return out;
}

std::string first_findings(const variant_report& v) {
  std::string out;
  for (const auto& s : v.strategies) {
    if (!s.first) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", s.strategy, *s.first);
  }
  return out.empty() ? "-" : out;
}

std::string cell_text(const comparison_cell& c) {
  std::string_view unit = c.detector.starts_with("sim-") ? "execution" : "run";
  if (!c.ran) return c.why_not.empty() ? "not run" : "not run: " + c.why_not;
  if (!c.first) return fmt::format("not found in {} {}s", c.tries, unit);
  std::string s = fmt::format("{} {}: {}", unit, *c.first, c.title.empty() ? c.verdict : c.title);
  if (!c.source.empty() && c.source != "sim") s += fmt::format(" ({})", c.source);
  if (!c.where.empty()) s += " at " + c.where;
  return s;
}

std::string replay_command(const variant_report& v) {
  return v.shown.replay.empty() || v.shown.findings.empty() ? std::string() : "conlab replay " + v.shown.replay;
}

}  // namespace lab::reports
