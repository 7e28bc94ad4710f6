#include "harness/detect/deadlock.h"

#include <fmt/format.h>

#include <algorithm>

namespace lab {

void deadlock_detector::begin_execution(bool) {
  reset_own();
  for (std::uint32_t t = 0; t < threads_used_; ++t) {
    waits_[t].waiting = false;
    looked_[t] = 0;
    wrote_[t] = 0;
    locked_[t] = 0;
  }
  threads_used_ = 0;
  for (auto& l : lost_) l = {};
  readers_.clear();
  tasks_.clear();
  pools_.clear();
  coro_waits_.clear();
  coro_holds_.clear();
  is_task_.clear();
  seq_ = 0;
}

const deadlock_detector::task* deadlock_detector::task_of(object_id cv) const {
  for (const task& t : tasks_)
    if (t.key == cv && !t.done) return &t;
  return nullptr;
}

thread_set deadlock_detector::workers_of(object_id p) const {
  for (const pool& x : pools_)
    if (x.id == p) return x.workers;
  return {};
}

void deadlock_detector::handle(const event& e) {
  wait_state& w = waits_[e.thread];
  threads_used_ = std::max<std::uint32_t>(threads_used_, e.thread + 1);
  ++seq_;
  switch (e.kind) {
    case op::lock_blocked:
      w = {true, seq_, {e.thread, wait_info::on::mutex, e.object, no_thread, e.step, e.loc, {}}};
      w.exclusive = true;
      break;
    case op::join_blocked:
      w = {true, seq_, {e.thread, wait_info::on::join, no_object, static_cast<thread_id>(e.arg), e.step, e.loc, {}}};
      break;
    case op::cv_wait:
      w = {true, seq_, {e.thread, wait_info::on::condition, e.object, no_thread, e.step, e.loc, {}}};
      for (std::uint32_t u = 0; u < threads_used_; ++u)
        if (u != e.thread && wrote_[u] > looked_[e.thread]) w.news = true;
      w.blind = looked_[e.thread] < locked_[e.thread] || looked_[e.thread] == 0;
      break;
    case op::lock_acquired: locked_[e.thread] = seq_; break;
    case op::read:
    case op::atomic_load: looked_[e.thread] = seq_; break;
    case op::atomic_rmw: looked_[e.thread] = wrote_[e.thread] = seq_; break;
    case op::write:
    case op::atomic_store: wrote_[e.thread] = seq_; break;
    case op::sem_blocked:
      w = {true, seq_, {e.thread, wait_info::on::semaphore, e.object, no_thread, e.step, e.loc, {}}};
      break;
    case op::shared_blocked:
      w = {true, seq_, {e.thread, wait_info::on::mutex, e.object, no_thread, e.step, e.loc, {}}};
      break;
    case op::shared_acquired:
      readers_.push_back({e.object, e.thread, e.loc});
      locked_[e.thread] = seq_;
      break;
    case op::shared_unlock:
      for (std::size_t i = 0; i < readers_.size(); ++i)
        if (readers_[i].lock == e.object && readers_[i].thread == e.thread) {
          readers_.erase(readers_.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
      break;
    case op::coro_created:
      if (e.object >= is_task_.size()) is_task_.resize(e.object + 1);
      is_task_[e.object] = true;
      return;
    case op::coro_waits:
      std::erase_if(coro_waits_, [&](const coro_wait& c) { return c.waiter == e.object; });
      coro_waits_.push_back({e.object, static_cast<object_id>(e.arg), e.thread, e.step, e.loc});
      return;
    case op::coro_acquired:
      std::erase_if(coro_holds_, [&](const coro_hold& h) { return h.lock == e.arg; });
      coro_holds_.push_back({static_cast<object_id>(e.arg), e.object, e.loc});
      return;
    case op::coro_released:
      std::erase_if(coro_holds_, [&](const coro_hold& h) { return h.lock == e.arg; });
      return;
    case op::coro_resumed:
    case op::coro_suspended:
      if (e.kind == op::coro_resumed || e.arg != arg_of(step_end::awaiting))  // resumed, or finished: it awaits nothing now
        std::erase_if(coro_waits_, [&](const coro_wait& c) { return c.waiter == e.object; });
      return;
    case op::task_queued: tasks_.push_back({static_cast<object_id>(e.arg), e.object, no_thread, false, e.loc}); break;
    case op::task_started:
    case op::task_done:
      for (task& t : tasks_)
        if (t.key == e.arg && !t.done) {
          t.worker = e.thread;
          t.done = e.kind == op::task_done;
          break;
        }
      if (e.kind == op::task_started) {
        auto it = std::find_if(pools_.begin(), pools_.end(), [&](const pool& x) { return x.id == e.object; });
        if (it == pools_.end()) it = pools_.insert(pools_.end(), pool{e.object, {}});
        it->workers.insert(e.thread);
      }
      break;
    case op::cv_notify_one:
    case op::cv_notify_all:
      if (e.arg == 0) {
        if (e.object >= lost_.size()) lost_.resize(e.object + 1);
        lost_[e.object] = {true, seq_, e.step, e.thread, e.loc};
      } else if (e.object < lost_.size()) {
        lost_[e.object].seen = false;
      }
      break;
    default: break;
  }
}

wait_info deadlock_detector::resolved(const wait_state& ws) const {
  const wait_info& w = ws.info;
  wait_info r = w;
  if (w.what == wait_info::on::condition) {
    if (const task* t = task_of(w.object)) {
      r.what = wait_info::on::task;
      r.object = t->pool;
      r.holder = t->worker;
      r.queued = t->worker == no_thread;
      r.held_at = t->submitted_at;
    }
  }
  if (w.what == wait_info::on::mutex) {
    r.holder = locks().owner(w.object);
    r.held_at = locks().acquired_at(w.object);
    if (r.holder == no_thread)  // held shared: the first other reader stands for all of them
      for (const auto& rd : readers_)
        if (rd.lock == w.object && rd.thread != w.thread) {
          r.holder = rd.thread;
          r.held_at = rd.loc;
          r.held_shared = true;
          break;
        }
    if (r.holder == no_thread && ws.exclusive)  // an upgrade: the waiter is the only reader left
      for (const auto& rd : readers_)
        if (rd.lock == w.object && rd.thread == w.thread) {
          r.holder = w.thread;
          r.held_at = rd.loc;
          r.held_shared = true;
          break;
        }
  }
  return r;
}

object_id deadlock_detector::coro_next(const coro_wait& c) const {
  if (is_task(c.awaited)) return c.awaited;
  for (const coro_hold& h : coro_holds_)
    if (h.lock == c.awaited) return h.task;
  return no_object;
}

wait_info deadlock_detector::coro_wait_info(const coro_wait& c) const {
  wait_info w{c.thread, wait_info::on::coroutine, c.waiter, no_thread, c.step, c.loc};
  if (is_task(c.awaited)) {
    w.holder_task = c.awaited;
    return w;
  }
  w.via = c.awaited;
  for (const coro_hold& h : coro_holds_)
    if (h.lock == c.awaited) {
      w.holder_task = h.task;
      w.held_at = h.loc;
    }
  return w;
}

bool deadlock_detector::report_coroutine_cycle() {
  // Follow the waits from each waiting task: a task waits for one other at a time (the task it
  // awaits, or the holder of the async lock it awaits), so the graph is a functional one and a
  // walk either ends or closes a cycle.
  for (const coro_wait& start : coro_waits_) {
    std::vector<const coro_wait*> path{&start};
    while (path.size() <= coro_waits_.size()) {
      const coro_wait* next = nullptr;
      object_id want = coro_next(*path.back());
      for (const coro_wait& c : coro_waits_)
        if (want != no_object && c.waiter == want) next = &c;
      if (!next) break;
      auto seen = std::find(path.begin(), path.end(), next);
      if (seen != path.end()) {
        finding f;
        f.kind = verdict::deadlock;
        f.cycle = true;
        bool locks = false;
        for (auto it = seen; it != path.end(); ++it) {
          f.waits.push_back(coro_wait_info(**it));
          locks = locks || f.waits.back().via != no_object;
        }
        f.thread = f.waits.front().thread;
        f.step = f.waits.front().step;
        f.loc = f.waits.front().loc;
        f.message = locks ? fmt::format("{} coroutine task(s) each wait for an async lock another holds: none can finish",
                                        f.waits.size())
                          : fmt::format("{} coroutine task(s) await each other: none can finish", f.waits.size());
        out_->report(std::move(f));
        return true;
      }
      path.push_back(next);
    }
  }
  return false;
}

bool deadlock_detector::report_parked_tasks(const thread_set& blocked) {
  thread_set loops;
  bool parked = false;
  for (const coro_wait& c : coro_waits_) {
    loops.insert(c.thread);
    parked = parked || !is_task(c.awaited);
  }
  if (!parked) return false;
  finding f;
  f.kind = verdict::deadlock;
  // The tasks parked on a primitive first (where each chain of awaits ends), in the order they
  // parked; then the tasks that await them; then the threads that are not these loops.
  for (int pass = 0; pass < 2; ++pass)
    for (const coro_wait& c : coro_waits_)
      if (is_task(c.awaited) == (pass == 1)) f.waits.push_back(coro_wait_info(c));
  std::size_t tasks = f.waits.size();
  blocked.for_each([&](thread_id t) {
    if (!loops.contains(t) && waits_[t].waiting) f.waits.push_back(resolved(waits_[t]));
  });
  const wait_info& first = f.waits.front();
  f.thread = first.thread;
  f.step = first.step;
  f.loc = first.loc;
  f.message = fmt::format("{} coroutine task(s) wait forever: what they await will never be released, set or filled{}",
                          tasks, f.waits.size() > tasks ? fmt::format(", and {} thread(s) are blocked", f.waits.size() - tasks) : "");
  out_->report(std::move(f));
  return true;
}

void deadlock_detector::on_stall(const thread_set& blocked) {
  if (report_coroutine_cycle()) return;
  graph_.reset(threads_used_);  // grows as edges need
  blocked.for_each([&](thread_id t) {
    if (!waits_[t].waiting) return;
    wait_info w = resolved(waits_[t]);
    if (w.holder != no_thread) graph_.add_edge(t, w.holder);
    if (w.what == wait_info::on::mutex)  // a writer waits for every reader, itself among them
      for (const auto& rd : readers_)
        if (rd.lock == w.object && (rd.thread != t || waits_[t].exclusive)) graph_.add_edge(t, rd.thread);
    if (w.what == wait_info::on::task && w.queued) {
      // Any worker could take it. Itself only when it is the pool's only worker: with others,
      // the cycle worth showing goes through them.
      thread_set workers = workers_of(w.object);
      if (!(workers.single() && workers.contains(t))) workers.erase(t);
      workers.for_each([&](thread_id x) { graph_.add_edge(t, x); });
    }
  });
  finding f;
  f.kind = verdict::deadlock;
  // A thread waiting for itself (a relock, an upgrade) is the cause whatever else waits on it:
  // that cycle of one first.
  std::vector<std::uint32_t> cycle;
  blocked.for_each([&](thread_id t) {
    if (cycle.empty() && graph_.has_edge(t, t)) cycle = {t};
  });
  if (cycle.empty()) cycle = graph_.find_cycle();
  if (!cycle.empty()) {
    bool through_queue = false;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      wait_info w = resolved(waits_[cycle[i]]);
      if (w.what == wait_info::on::task && w.queued) {
        w.holder = thread_id{cycle[(i + 1) % cycle.size()]};  // the busy worker the cycle goes through
        through_queue = true;
      }
      f.waits.push_back(w);
    }
    f.cycle = true;
    const wait_info& first = f.waits.front();
    f.thread = first.thread;
    f.step = first.step;
    f.loc = first.loc;
    if (cycle.size() == 1 && through_queue)
      f.message = fmt::format("{}, the only worker of its pool, waits for a task queued behind its own", first.thread);
    else if (cycle.size() == 1 && first.held_shared)
      f.message = fmt::format("{} asks for exclusive ownership of a shared_mutex it holds shared (an upgrade waits "
                              "for its own read lock: release it first)",
                              first.thread);
    else if (cycle.size() == 1)
      f.message = fmt::format("{} waits for a mutex it already holds (relock of a non-recursive mutex)", first.thread);
    else if (through_queue)
      f.message = fmt::format("wait-for cycle of {} threads through a pool's queue: its busy workers wait for tasks "
                              "queued behind them",
                              cycle.size());
    else
      f.message = fmt::format("wait-for cycle of {} threads", cycle.size());
    out_->report(std::move(f));
    return;
  }
  if (report_parked_tasks(blocked)) return;
  blocked.for_each([&](thread_id t) {
    if (waits_[t].waiting) f.waits.push_back(resolved(waits_[t]));
  });
  for (const wait_info& w : f.waits) {
    if (w.what != wait_info::on::condition || w.object >= lost_.size()) continue;
    const lost_notify& l = lost_[w.object];
    // Lost: notified with nobody waiting after the waiter's last look and before its wait, and
    // the waiter waited blind or missed news (see the class comment).
    const wait_state& ws = waits_[w.thread];
    if (l.seen && l.seq < ws.seq && looked_[w.thread] < l.seq && (ws.blind || ws.news)) {
      f.kind = verdict::lost_wakeup;
      f.thread = w.thread;
      f.step = w.step;
      f.loc = w.loc;
      f.message = fmt::format("{} waits forever: the notification by {} at step {} came before the wait began",
                              w.thread, l.thread, l.step);
      f.notes.push_back({l.thread, l.step, l.loc, "notified while nobody was waiting"});
      // The starved waiter first, then the other blocked threads.
      wait_info first = w;
      std::erase_if(f.waits, [&](const wait_info& x) { return x.thread == first.thread; });
      f.waits.insert(f.waits.begin(), first);
      out_->report(std::move(f));
      return;
    }
  }
  if (!f.waits.empty()) {
    f.thread = f.waits.front().thread;
    f.step = f.waits.front().step;
    f.loc = f.waits.front().loc;
  }
  f.message = fmt::format("{} thread(s) blocked forever with no wait-for cycle", f.waits.size());
  out_->report(std::move(f));
}

}  // namespace lab
