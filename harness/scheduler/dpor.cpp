#include "harness/scheduler/dpor.h"

#include <algorithm>
#include <cmath>
#include <bit>
#include <span>

namespace lab {
namespace {

/// The thread that reached `p` is about to release something (an unlock, a notify, a
/// semaphore's release) and may go on.
bool release_point(const choice_point& p) {
  if (p.next == nullptr || p.current == no_thread || p.yielding || !p.runnable.contains(p.current)) return false;
  switch (p.next[p.current.value].kind) {
    case op::unlock:
    case op::shared_unlock:
    case op::sem_released:
    case op::cv_notify_one:
    case op::cv_notify_all: return true;
    default: return false;
  }
}

/// A failed acquisition that leaves nothing behind but a sleeping thread (see "probe").
bool probe_event(const event& e) {
  switch (e.kind) {
    case op::lock_blocked: return e.arg == 0;  // 1: a place in a fifo queue, which is state
    case op::join_blocked:
    case op::shared_blocked:
    case op::sem_blocked: return true;
    default: return false;
  }
}

}  // namespace

void footprint::add(footprint_entry e) {
  using a = footprint_entry::access;
  const std::uint64_t bit = std::uint64_t{1} << ((e.key * 0x9E3779B97F4A7C15ull) >> 58);
  all_ |= bit;
  if (e.how != a::read) writes_ |= bit;
  if (sequence_.empty() || !(sequence_.back() == e)) sequence_.push_back(e);
  auto rank = [](a x) { return x == a::acquire ? 4 : x == a::write ? 3 : x == a::release ? 2 : x == a::order ? 1 : 0; };
  for (auto& x : entries_)
    if (x.key == e.key) {
      if (rank(e.how) > rank(x.how)) x.how = e.how;
      return;
    }
  entries_.push_back(e);
}

void footprint::add_before_release(footprint_entry e) {
  using a = footprint_entry::access;
  if (sequence_.empty() || sequence_.back().how != a::release) return add(e);
  const footprint_entry last = sequence_.back();
  sequence_.pop_back();
  add(e);
  sequence_.push_back(last);
}

void footprint::add_event(const event& e, std::uint64_t object_key) {
  using a = footprint_entry::access;
  const std::uint64_t obj = object_key;
  auto child = [&] { return thread_id{static_cast<std::uint32_t>(e.arg)}; };
  switch (e.kind) {
    case op::thread_start: add({dpor_keys::started(e.thread), a::order}); return;
    case op::thread_finish: add({dpor_keys::ended(e.thread), a::order}); return;
    case op::thread_spawn:
      add({dpor_keys::started(child()), a::order});
      add({dpor_keys::spawns, a::write});
      return;
    case op::thread_join: add({dpor_keys::ended(child()), a::order}); return;
    case op::lock_blocked:
      if (e.arg != 0) add({obj, a::write});  // a place in a fifo queue
      return;
    case op::join_blocked:
    case op::shared_blocked:
    case op::sem_blocked: return;  // a thread that was not enabled: no event (see "probe")
    case op::process_fork: add({dpor_keys::forks, a::write}); return;
    case op::yield: add({dpor_keys::clock, a::read}); return;
    case op::sleep:
    case op::work: add({dpor_keys::clock, a::write}); return;
    case op::assertion:
    case op::over_budget: return;  // what the thread saw, not what it did to others
    case op::lock_acquired:
    case op::shared_acquired:
    case op::sem_acquired:
      // A try that got through could have come before the last release and failed: it races
      // with that release as a write does.
      add({obj, e.arg == 1 ? a::write : a::acquire});
      return;
    case op::unlock:
    case op::shared_unlock:
    case op::sem_released: add({obj, a::release}); return;
    case op::try_lock_failed:
    case op::atomic_load:
    case op::read: add({obj, a::read}); return;
    default:
      if (e.object != no_object) add({obj, a::write});
      return;
  }
}

void footprinter::add(footprint& f, const event& e, std::uint64_t object_key) {
  using a = footprint_entry::access;
  switch (e.kind) {
    case op::cv_wait:
      // The wait joins the queue atomically with the unlock the runtime emits just before it:
      // it comes first, so whoever takes the mutex next is ordered after the wait, as the
      // condition variable's contract says (a notify under the mutex never races with it).
      waiting_.emplace_back(object_key, e.thread);
      f.add_before_release({object_key, a::write});
      return;
    case op::cv_notify_one:
    case op::cv_notify_all: {
      std::uint64_t wake = e.arg;  // waiters at that moment: every one, or the oldest
      if (e.kind == op::cv_notify_one) wake = std::min<std::uint64_t>(wake, 1);
      for (auto it = waiting_.begin(); wake != 0 && it != waiting_.end();)
        if (it->first == object_key) {
          f.add({dpor_keys::woken(it->second), a::write});
          it = waiting_.erase(it);
          --wake;
        } else {
          ++it;
        }
      break;
    }
    case op::cv_woken: {
      auto it = std::find_if(waiting_.begin(), waiting_.end(),
                             [&](const auto& w) { return w.first == object_key && w.second == e.thread; });
      if (it == waiting_.end()) {  // a notify woke it: ordered after that notify, racing with nothing
        f.add({dpor_keys::woken(e.thread), a::order});
        return;
      }
      waiting_.erase(it);  // spurious or timed out: it touched nothing
      return;
    }
    default: break;
  }
  f.add_event(e, object_key);
}

bool footprint::dependent(const footprint& o) const {
  using a = footprint_entry::access;
  if (((writes_ & o.all_) | (all_ & o.writes_)) == 0) return false;
  for (const auto& x : entries_)
    for (const auto& y : o.entries_)
      if (x.key == y.key && (x.how != a::read || y.how != a::read)) return true;
  return false;
}

// ---- dpor_strategy ----

dpor_strategy::dpor_strategy(std::uint64_t budget, bool spurious, shard_slice slice, bool fair_yields,
                             dpor_mode mode)
    : budget_(budget), mode_(mode), spurious_(spurious), yields_(fair_yields), slice_(slice) {
  // At least 16N prefixes: with 4N the first subtree (sleep sets make the first branches the
  // biggest) took 94% of pool_deadlock/fixed in 2 slices; with 16N 52% (docs/performance.md).
  if (slice_.count > 1) split_depth_ = static_cast<std::uint32_t>(std::bit_width(16 * slice_.count - 1));
  // A split space runs source sets: a split point's branches are free (every thread, nothing
  // after it asked for), which a source set allows and a wakeup tree's sleep-set argument does
  // not (a class left to a sleeper's subtree can be one only a wakeup sequence at a split point
  // would reach). The oracle's slice test found it (docs/verification.md).
  if (slice_.count > 1) mode_ = dpor_mode::source;
  owned_ = slice_.count <= 1 || slice_.index == 0;
}

std::size_t dpor_strategy::prefix_end() const {
  for (std::size_t i = nodes_.size(); i-- > 0;)
    if (nodes_[i].split) return i + 1;
  return 0;
}

bool dpor_strategy::asleep(const node& n, thread_id t) {
  return std::any_of(n.sleep.begin(), n.sleep.end(), [&](const sleeper& s) { return s.thread == t; });
}

bool dpor_strategy::explored(const node& n, thread_id t) {
  return std::any_of(n.explored.begin(), n.explored.end(), [&](const sleeper& s) { return s.thread == t; });
}

bool dpor_strategy::begin_execution(std::uint64_t index) {
  if (index >= budget_ || exhausted_) return false;
  if (!started_) {
    started_ = true;
    nodes_.assign(1, node{});
    node& root = nodes_[0];  // T0 alone, until the first point
    root.chosen = thread_id{0};
    root.arrival.insert(thread_id{0});
    root.enabled.insert(thread_id{0});
    root.backtrack.insert(thread_id{0});
    replay_depth_ = 1;
  }
  cursor_ = 0;
  probe_cursor_ = 0;
  replaying_probe_ = false;
  running_ = thread_id{0};
  blocked_ = false;
  only_probe_events_ = true;
  saw_probe_ = false;
  spurious_.begin_execution();
  yields_.begin_execution();
  footprints_.begin_execution();
  nodes_[0].touched.clear();
  return true;
}

void dpor_strategy::observe(const event& e, std::uint64_t object_key) {
  if (blocked_) return;
  footprints_.add(nodes_[cursor_].touched, e, object_key);
  if (probe_event(e)) {
    saw_probe_ = true;
    probe_key_ = e.kind == op::join_blocked ? ~std::uint64_t{0} : object_key;
  }
  else only_probe_events_ = false;
}

void dpor_strategy::finish_transition() {
  node& n = nodes_[cursor_];
  if (!n.value_point && running_ == n.chosen && !explored(n, n.chosen))
    n.explored.push_back({n.chosen, std::make_shared<const footprint>(n.touched)});
}

dpor_strategy::node& dpor_strategy::open_node(bool value_point, bool& fresh) {
  const std::size_t at = cursor_ + 1;
  probe_cursor_ = 0;
  replaying_probe_ = false;
  only_probe_events_ = true;
  saw_probe_ = false;
  fresh = at >= replay_depth_;
  if (!fresh) {  // replaying: the node is there, with its sets
    cursor_ = at;
    nodes_[at].touched.clear();
    if (nodes_[at].value_point != value_point) nondeterministic_ = true;
    return nodes_[at];
  }
  // Asleep at a new point: what was asleep at the parent or explored from it, and is
  // independent of the transition the parent ran (Godefroid's sleep sets).
  node child;
  child.value_point = value_point;
  const node& parent = nodes_[cursor_];
  child.splits_before = parent.splits_before + (parent.split ? 1 : 0);
  for (const auto* list : {&parent.sleep, &parent.explored})
    for (const sleeper& s : *list)
      if (s.thread != running_ && !s.touched->dependent(parent.touched)) child.sleep.push_back(s);
  child.entered_at = executions_;
  nodes_.resize(at);
  nodes_.push_back(std::move(child));
  cursor_ = at;
  return nodes_[at];
}

pick dpor_strategy::next_thread(const choice_point& p) {
  if (!blocked_ && release_point(p)) {
    // A release whose object has waiters is a point for the sampling strategies' sake
    // (execution::release_point); whether it is one depends on other threads, so a thread's
    // transitions would not be its own. No switch there: a release moves left (Lipton), so a
    // switch before it explores nothing the thread's previous point does not.
    yields_.ran(p.current);
    return pick_thread(p.runnable, p.current);
  }
  pick k = choose(p);
  yields_.ran(k.thread);
  return k;
}

pick dpor_strategy::choose(const choice_point& p) {
  if (blocked_) return run_out(p);
  node& cur = nodes_[cursor_];
  if (!cur.value_point && only_probe_events_ && saw_probe_ && !p.runnable.contains(running_)) {
    // The thread just tried blocked without a trace: it was not enabled here. Pick again at
    // the same point; a replay makes the same probes in the same order.
    cur.touched.clear();
    saw_probe_ = false;
    if (!replaying_probe_) {
      cur.probes.push_back(running_);
      cur.probe_keys.push_back(probe_key_);
      probe_cursor_ = cur.probes.size();
      cur.enabled.erase(running_);
      cur.backtrack.erase(running_);
      if (cur.chosen == running_) {
        if (cur.guided) ++diverged_;
        cur.guided = false;
        cur.chosen = no_thread;
        stash_.clear();  // a wakeup sequence whose thread turned out blocked: it diverged here
        guide_values_.clear();
      }
    }
    return choose_here(cur, p);
  }
  finish_transition();
  bool fresh = false;
  node& n = open_node(false, fresh);
  const thread_set here = yields_.allowed(p);
  if (fresh) {
    n.arrival = here;
    n.enabled = here;
    n.held_back = thread_set::minus(p.runnable, here);
    n.wut = std::move(stash_);  // the wakeup branches the transition before asked for
    stash_.clear();
    guide_values_.clear();
    guide_cursor_ = 0;
    if (marking_splits_ && n.splits_before < split_depth_ && !here.single() && !here.empty()) {
      n.split = true;  // every enabled thread that is awake is explored from here
      n.backtrack = here;
      here.for_each([&](thread_id t) {
        if (std::none_of(n.wut.begin(), n.wut.end(), [&](const wnode& w) { return w.thread == t; }))
          n.wut.push_back(wnode{t, {}, {}, true, {}});
      });
    }
  } else if (!(n.arrival == here)) {
    nondeterministic_ = true;
  }
  return choose_here(n, p);
}

pick dpor_strategy::choose_here(node& n, const choice_point& p) {
  replaying_probe_ = false;
  if (probe_cursor_ < n.probes.size()) {  // the recorded probes first, as they were made
    thread_id t = n.probes[probe_cursor_++];
    if (p.runnable.contains(t)) {
      replaying_probe_ = true;
      running_ = t;
      return pick_thread(p.runnable, t);
    }
    nondeterministic_ = true;
    probe_cursor_ = n.probes.size();
  }
  if (n.chosen != no_thread && n.enabled.contains(n.chosen) && p.runnable.contains(n.chosen)) {
    running_ = n.chosen;
    return pick_thread(p.runnable, n.chosen);
  }
  if (n.enabled.empty()) {
    // Every thread the yield rule let run blocked when tried: those it held back may run now.
    thread_set now = yields_.allowed(p);
    if (now.empty()) now = p.runnable;
    n.enabled |= now;
    n.arrival |= now;
    n.held_back = thread_set::minus(n.held_back, now);
  }
  thread_id best = no_thread;
  if (mode_ == dpor_mode::optimal) {
    // The wakeup tree's first branch that can run here (one that cannot diverged: dropped).
    while (!n.wut.empty()) {
      wnode c = std::move(n.wut.front());
      n.wut.erase(n.wut.begin());
      if (n.enabled.contains(c.thread) && p.runnable.contains(c.thread) && !explored(n, c.thread) &&
          !asleep(n, c.thread)) {
        adopt(n, std::move(c));
        running_ = n.chosen;
        return pick_thread(p.runnable, n.chosen);
      }
      if (!explored(n, c.thread)) ++diverged_;  // (explored: other values, which its value points try)
    }
    stash_.clear();
    guide_values_.clear();
  } else {
    // A thread of the backtrack set not explored yet.
    n.backtrack.for_each([&](thread_id t) {
      if (best == no_thread && n.enabled.contains(t) && !explored(n, t) && !asleep(n, t)) best = t;
    });
  }
  // At a point never explored from, any enabled thread that is awake.
  if (best == no_thread && n.explored.empty())
    n.enabled.for_each([&](thread_id t) {
      if (best == no_thread && !asleep(n, t)) best = t;
    });
  if (best == no_thread || !p.runnable.contains(best)) {
    // Every enabled thread sleeps: whatever runs from here is equivalent to an execution
    // explored before (sleep-set blocked). It runs out unrecorded, fairly.
    blocked_ = true;
    ++sleep_blocked_;
    return run_out(p);
  }
  n.chosen = best;
  n.backtrack.insert(best);
  running_ = best;
  return pick_thread(p.runnable, best);
}

void dpor_strategy::follow_value_branch(std::size_t idx) {
  // A wakeup branch of the transition's thread point whose thread is the one running here and
  // whose values agree with this transition's so far (this point's new value included) is the
  // branch now being taken: its remaining values and its subtree guide the rest.
  std::size_t tn = idx;
  while (tn > 0 && nodes_[tn].value_point) --tn;
  std::vector<std::uint64_t> taken;
  for (std::size_t m = tn + 1; m <= idx; ++m)
    if (nodes_[m].value_point) taken.push_back(nodes_[m].value);
  auto& wut = nodes_[tn].wut;
  for (auto it = wut.begin(); it != wut.end(); ++it) {
    if (it->thread != nodes_[tn].chosen || it->values.size() < taken.size() ||
        !std::equal(taken.begin(), taken.end(), it->values.begin()))
      continue;
    guide_values_.assign(it->values.begin() + static_cast<std::ptrdiff_t>(taken.size()), it->values.end());
    guide_cursor_ = 0;
    stash_ = std::move(it->children);
    wut.erase(it);
    return;
  }
}

void dpor_strategy::adopt(node& n, wnode&& c) {
  n.chosen = c.thread;
  n.guided = true;
  n.backtrack.insert(c.thread);
  guide_values_ = std::move(c.values);
  guide_cursor_ = 0;
  stash_ = std::move(c.children);
}

pick dpor_strategy::run_out(const choice_point& p) {
  // Round robin from the thread that ran last, among those the yield rule lets run: no thread
  // is starved and no spin loop runs alone (an unfair run-out would raise livelocks the
  // program lacks).
  const thread_set allowed = yields_.allowed(p);
  thread_id best = no_thread;
  allowed.for_each([&](thread_id t) {
    if (best == no_thread && t.value > running_.value) best = t;
  });
  if (best == no_thread) best = allowed.first();
  running_ = best;
  return pick_thread(p.runnable, best);
}

std::uint64_t dpor_strategy::next_value(std::uint64_t bound, choice_kind kind) {
  if (blocked_) return 0;
  if (!spurious_.offered(kind, running_)) return 0;
  finish_transition();
  bool fresh = false;
  node& n = open_node(true, fresh);
  if (fresh) {
    n.bound = bound;
    n.start = 0;
    if (guide_cursor_ < guide_values_.size()) {  // the value the wakeup sequence took here
      n.start = std::min(guide_values_[guide_cursor_++], bound - 1);
    }
    n.value = n.start;
    n.turn = 0;
    n.chosen = running_;
  } else if (n.bound != bound) {
    nondeterministic_ = true;
    n.bound = bound;
    n.value = std::min(n.value, bound - 1);
    n.turn = std::min(n.turn, bound - 1);
  }
  spurious_.chose(kind, running_, n.value);
  return n.value;
}

void dpor_strategy::end_execution(std::uint64_t) {
  if (blocked_) {
    nodes_.resize(cursor_);  // the blocked point and past it: nothing to learn there
  } else {
    node& cur = nodes_[cursor_];
    if (!cur.value_point && only_probe_events_ && saw_probe_ && !replaying_probe_) {
      // The execution ended blocked on this attempt (a deadlock): a probe, as at a point.
      cur.probes.push_back(running_);
      cur.probe_keys.push_back(probe_key_);
      cur.touched.clear();
      cur.enabled.erase(running_);
      cur.backtrack.erase(running_);
      if (cur.chosen == running_) cur.chosen = no_thread;
    }
    stash_.clear();
    guide_values_.clear();
    finish_transition();
    nodes_.resize(cursor_ + 1);
    if (owned_) ++classes_;
  }
  ++executions_;
  last_owned_ = owned_;
  if (owned_) analyse();  // another slice's prefix: only walked past
  exhausted_ = !backtrack();
}

strategy::knuth_estimate dpor_strategy::estimated_by_knuth() const {
  if (executions_ == 0) return {};
  if (exhausted_) return {static_cast<double>(executions_), 0, executions_};
  return profile();
}

void dpor_strategy::analyse() {
  // Happens-before is computed over accesses, not transitions: a transition may hold several
  // (footprint::sequence), and a race is between two accesses that nothing else orders - the
  // acquisition that begins a transition is not ordered by a write later in it. Reversals are
  // then placed at transition points (the scheduler can switch nowhere else).
  using a = footprint_entry::access;
  split_end_ = prefix_end();
  const std::size_t n = nodes_.size();
  std::uint32_t width = 1;
  std::size_t events = 0;
  for (const node& nd : nodes_) {
    if (nd.chosen != no_thread) width = std::max(width, nd.chosen.value + 1);
    for (thread_id q : nd.probes) width = std::max(width, q.value + 1);
    events += std::max<std::size_t>(1, nd.touched.sequence().size());
  }
  hb_.width = width;
  // clocks[g * width + t]: the last access of thread t that happens before (or is) access g.
  hb_.clocks.assign(events * width, -1);
  hb_.first.assign(n, 0);
  hb_.last.assign(n, 0);
  std::vector<std::int32_t>& clocks = hb_.clocks;
  transition_clocks();
  // Transition i (a thread point) comes before an access of node k whose clock is `row`,
  // counting that transitions run whole: some access of i, or of a transition before k's that
  // comes after i, is in it.
  auto after = [&](const std::int32_t* row, std::size_t i, std::size_t k) {
    const std::uint32_t ti = nodes_[i].chosen.value;
    for (std::uint32_t u = 0; u < width; ++u) {
      const std::int32_t at = row[u];
      if (at < 0) continue;
      if (u == ti) {
        if (at >= hb_.first[i]) return true;
        continue;
      }
      const std::size_t m = hb_.node_of[static_cast<std::size_t>(at)];
      if (hb_.point[m] != hb_.point[k] && transition_after(i, m)) return true;
    }
    return false;
  };
  std::vector<std::int32_t> other(width);
  std::vector<std::uint32_t> thread_of(events);
  std::vector<footprint_entry::access> how_of(events, a::order);
  std::vector<std::uint32_t>& node_of = hb_.node_of;
  node_of.assign(events, 0);
  // The key states, by key number (transition_clocks() numbered the keys of the footprints;
  // a probe's may be new).
  if (access_keys_.size() < key_numbers_.size()) access_keys_.resize(key_numbers_.size());
  for (std::uint32_t x = 0; x < key_numbers_.size(); ++x) {
    access_keys_[x].last_write = access_keys_[x].last_acquire = -1;
    access_keys_[x].reads.clear();
  }
  auto keys = [&](std::uint64_t key) -> key_state& {
    bool fresh = false;
    const std::uint32_t at = key_numbers_.number(key, fresh);
    if (at >= access_keys_.size()) access_keys_.resize(at + 1);
    key_state& ks = access_keys_[at];
    if (fresh) {
      ks.last_write = ks.last_acquire = -1;
      ks.reads.clear();
    }
    return ks;
  };
  std::vector<std::int32_t> last_of(width, -1);
  struct pred {
    std::int32_t at;
    std::uint64_t key;  ///< the key it came through; ~0: program order
  };
  std::vector<pred> preds;
  std::vector<std::int32_t> racers;
  std::vector<std::int32_t> probe_row;
  static const footprint_entry nothing{~std::uint64_t{0}, a::order};
  std::int32_t g = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t t = nodes_[k].chosen.value;
    const auto& seq = nodes_[k].touched.sequence();
    // The attempts that blocked at this point (probes): each races with the acquisition that
    // holds its object. Not accesses: they change nothing, so nothing orders after them.
    for (std::size_t b = 0; b < nodes_[k].probes.size(); ++b) {
      const std::uint64_t key = nodes_[k].probe_keys[b];
      const std::uint32_t q = nodes_[k].probes[b].value;
      if (key == ~std::uint64_t{0} || q >= width) continue;
      const key_state& ks = keys(key);
      const std::int32_t j = ks.last_acquire;
      if (j < 0 || thread_of[j] == q) continue;
      const std::uint32_t tj = thread_of[j];
      probe_row.assign(width, -1);
      std::fill(other.begin(), other.end(), -1);
      for (std::int32_t d : {last_of[q], ks.last_write}) {
        if (d < 0) continue;
        const bool counts = d != j && !(d == ks.last_write && thread_of[d] == tj);
        for (std::uint32_t u = 0; u < width; ++u) {
          probe_row[u] = std::max(probe_row[u], clocks[static_cast<std::size_t>(d) * width + u]);
          if (counts) other[u] = std::max(other[u], clocks[static_cast<std::size_t>(d) * width + u]);
        }
      }
      if (!after(other.data(), hb_.point[node_of[j]], k))
        reverse(j, k, thread_id{q}, probe_row.data(), {key, a::acquire}, ~std::size_t{0});
    }
    hb_.first[k] = g;
    if (nodes_[k].chosen == no_thread) {  // only probes here: the execution ended blocked
      thread_of[g] = 0;
      node_of[g] = static_cast<std::uint32_t>(k);
      hb_.last[k] = g++;
      continue;
    }
    const std::size_t count = std::max<std::size_t>(1, seq.size());
    for (std::size_t s = 0; s < count; ++s, ++g) {
      const footprint_entry& e = seq.empty() ? nothing : seq[s];
      thread_of[g] = t;
      how_of[g] = e.how;
      node_of[g] = static_cast<std::uint32_t>(k);
      preds.clear();
      if (last_of[t] >= 0) preds.push_back({last_of[t], ~std::uint64_t{0}});
      key_state* ks = e.key == nothing.key ? nullptr : &keys(e.key);
      if (ks) {
        if (ks->last_write >= 0) preds.push_back({ks->last_write, e.key});
        if (e.how != a::read)
          for (std::int32_t r : ks->reads) preds.push_back({r, e.key});
      }
      std::int32_t* row = &clocks[static_cast<std::size_t>(g) * width];
      for (const pred& d : preds)
        for (std::uint32_t u = 0; u < width; ++u)
          row[u] = std::max(row[u], clocks[static_cast<std::size_t>(d.at) * width + u]);
      row[t] = g;
      if (!ks) {
        last_of[t] = g;
        continue;
      }
      // Races: dependent accesses of other threads that nothing else orders before this one.
      racers.clear();
      if (e.how != a::order) {  // an order no interleaving reverses
        if (e.how == a::acquire) racers.push_back(ks->last_acquire);
        if (e.how == a::release || e.how == a::write) racers.insert(racers.end(), ks->reads.begin(), ks->reads.end());
        if (e.how == a::read || e.how == a::write) racers.push_back(ks->last_write);
      }
      for (std::int32_t j : racers) {
        if (j < 0 || thread_of[j] == t) continue;
        const std::uint32_t tj = thread_of[j];
        // Ordered through something else? Not counting what j's own thread did on this key
        // after it (for a lock: the unlock that lets this acquisition in). Transitions run
        // whole: an access that needs any part of j's transition cannot come before it.
        std::fill(other.begin(), other.end(), -1);
        for (const pred& d : preds) {
          if (d.at == j || (d.key == e.key && thread_of[d.at] == tj)) continue;
          for (std::uint32_t u = 0; u < width; ++u)
            other[u] = std::max(other[u], clocks[static_cast<std::size_t>(d.at) * width + u]);
        }
        // The racing access as it would be made first: a try that got in after a release fails
        // before it (a read of the lock).
        const bool fails = e.how == a::write && how_of[j] == a::release;
        if (!after(other.data(), hb_.point[node_of[j]], k))
          reverse(j, k, thread_id{t}, row, {e.key, fails ? a::read : e.how}, s);
      }
      if (e.how == a::read) {
        ks->reads.push_back(g);
      } else {
        ks->last_write = g;
        ks->reads.clear();
        if (e.how == a::acquire || e.how == a::write) ks->last_acquire = g;
      }
      last_of[t] = g;
    }
    hb_.last[k] = g - 1;
  }
}

void dpor_strategy::key_numbers::reset(std::size_t at_most) {
  std::size_t size = 64;
  while (size < 2 * at_most) size *= 2;
  if (keys_.size() < size) {
    keys_.assign(size, empty);
    numbers_.assign(size, 0);
  } else {
    for (std::uint32_t u : used_) keys_[u] = empty;
  }
  used_.clear();
  count_ = 0;
}

std::uint32_t dpor_strategy::key_numbers::number(std::uint64_t key, bool& fresh) {
  const std::size_t mask = keys_.size() - 1;
  std::size_t at = static_cast<std::size_t>((key ^ (key >> 29)) * 0x9E3779B97F4A7C15ull >> 20) & mask;
  while (keys_[at] != empty && keys_[at] != key) at = (at + 1) & mask;
  fresh = keys_[at] == empty;
  if (fresh) {
    keys_[at] = key;
    numbers_[at] = count_++;
    used_.push_back(static_cast<std::uint32_t>(at));
  }
  return numbers_[at];
}

void dpor_strategy::transition_clocks() {
  // Transitions as wholes: one depends on another when their footprints share a key that one
  // of them writes; tclocks[T * width + u] is the last transition of thread u at or before
  // transition T in that order (T: its thread point; a value point belongs to its thread
  // point's transition). It tells what a wakeup sequence must leave out.
  const std::size_t n = nodes_.size();
  const std::uint32_t width = hb_.width;
  hb_.point.assign(n, 0);
  hb_.tclocks.assign(n * width, -1);
  std::size_t accesses = 0;
  for (const node& nd : nodes_) accesses += nd.touched.sequence().size() + nd.probe_keys.size();
  key_numbers_.reset(accesses);
  std::vector<std::int32_t> last_of(width, -1);
  using a = footprint_entry::access;
  for (std::size_t k = 0; k < n; ++k) {
    const bool joins = k > 0 && nodes_[k].value_point;
    const std::size_t at = joins ? hb_.point[k - 1] : k;
    hb_.point[k] = at;
    if (nodes_[k].chosen == no_thread) continue;
    const std::uint32_t t = nodes_[k].chosen.value;
    std::int32_t* row = &hb_.tclocks[at * width];
    auto join = [&](std::int32_t from) {
      if (from < 0) return;
      const std::int32_t* r = &hb_.tclocks[static_cast<std::size_t>(from) * width];
      for (std::uint32_t u = 0; u < width; ++u) row[u] = std::max(row[u], r[u]);
    };
    if (!joins) join(last_of[t]);
    for (const footprint_entry& e : nodes_[k].touched.sequence()) {
      bool fresh = false;
      const std::uint32_t number = key_numbers_.number(e.key, fresh);
      if (number >= transition_keys_.size()) transition_keys_.resize(number + 1);
      key_state& ks = transition_keys_[number];
      if (fresh) {
        ks.last_write = -1;
        ks.reads.clear();
      }
      if (ks.last_write != static_cast<std::int32_t>(at)) join(ks.last_write);
      if (e.how != a::read) {
        for (std::int32_t r : ks.reads)
          if (r != static_cast<std::int32_t>(at)) join(r);
        ks.reads.clear();
        ks.last_write = static_cast<std::int32_t>(at);
      } else if (ks.reads.empty() || ks.reads.back() != static_cast<std::int32_t>(at)) {
        ks.reads.push_back(static_cast<std::int32_t>(at));
      }
    }
    row[t] = static_cast<std::int32_t>(at);
    last_of[t] = static_cast<std::int32_t>(at);
  }
}

bool dpor_strategy::transition_after(std::size_t i, std::size_t m) const {
  return hb_.tclocks[hb_.point[m] * hb_.width + nodes_[i].chosen.value] >= static_cast<std::int32_t>(i);
}

bool dpor_strategy::happens_before(std::size_t x, std::size_t y) const {
  // Some access of transition x happens before some access of y: the first of x before the
  // last of y (program order joins the rest).
  return hb_.clocks[static_cast<std::size_t>(hb_.last[y]) * hb_.width + nodes_[x].chosen.value] >= hb_.first[x];
}

void dpor_strategy::reverse(std::int32_t first_access, std::size_t k, thread_id tk, const std::int32_t* k_row,
                            footprint_entry racing, std::size_t upto) {
  const std::size_t j = hb_.node_of[static_cast<std::size_t>(first_access)];
  // The reversal is made at the thread point that began j's run (a value point cannot switch).
  const std::size_t i = hb_.point[j];
  if (i < split_end_) return;  // inside the prefix: that order is another prefix, enumerated in full
  const std::uint32_t width = hb_.width;
  // x happens before y, where y == k stands for the racing access (its clock is k_row).
  auto before = [&](std::size_t x, std::size_t y) {
    return y == k ? k_row[nodes_[x].chosen.value] >= hb_.first[x] : happens_before(x, y);
  };
  if (i != j && before(i, k)) return;  // k needs i first: the race of i and k decides
  if (mode_ == dpor_mode::optimal) {
    // What i's transition touched, whole (it runs after v, at once).
    whole_.clear();
    for (std::size_t m = i; m < nodes_.size() && (m == i || nodes_[m].value_point); ++m)
      for (const footprint_entry& e : nodes_[m].touched.sequence()) whole_.add(e);
    insert_reversal(i, k, tk, racing, upto, whole_);
    return;
  }
  // notdep(i).k: what after i does not need i, then k; per thread its first transition there.
  std::vector<std::int32_t> first(width, -1);
  for (std::size_t m = i + 1; m < k; ++m)
    if (!happens_before(i, m) && first[nodes_[m].chosen.value] < 0)
      first[nodes_[m].chosen.value] = static_cast<std::int32_t>(m);
  if (tk.value < width && first[tk.value] < 0) first[tk.value] = static_cast<std::int32_t>(k);
  // The initials: threads whose first transition there needs none of the others'.
  thread_set initials;
  for (std::uint32_t q = 0; q < width; ++q) {
    if (first[q] < 0) continue;
    bool initial = true;
    for (std::uint32_t r = 0; r < width && initial; ++r)
      if (r != q && first[r] >= 0 && first[r] < first[q] &&
          before(static_cast<std::size_t>(first[r]), static_cast<std::size_t>(first[q])))
        initial = false;
    if (initial) initials.insert(thread_id{q});
  }
  node& at = nodes_[i];
  bool covered = false;
  initials.for_each([&](thread_id q) { covered = covered || at.backtrack.contains(q); });
  if (covered) return;
  thread_id want = no_thread, sleeping = no_thread;
  initials.for_each([&](thread_id q) {
    if (!at.enabled.contains(q)) return;
    if (asleep(at, q)) sleeping = q;
    else if (want == no_thread || q == tk) want = q;
  });
  if (want != no_thread) {
    at.backtrack.insert(want);
  } else if (sleeping == no_thread && !thread_set::minus(initials, thread_set::minus(initials, at.held_back)).empty()) {
    // The one that could start it was held back here by the yield rule: any awake thread might
    // lead there. (An initial that is blocked here is no race that can be reversed.)
    at.enabled.for_each([&](thread_id q) {
      if (!asleep(at, q)) at.backtrack.insert(q);
    });
  }
}

void dpor_strategy::insert_reversal(std::size_t i, std::size_t k, thread_id tk, footprint_entry racing,
                                    std::size_t upto, const footprint& first) {
  // v = notdep(i).e': the transitions after i that do not need i, in the order they ran, then
  // the racing access e' - with what its transition did before it, and nothing after (that
  // may go otherwise once e' comes first: a try_lock that fails). For a probe, e' is its
  // attempt, an acquisition. A transition is a thread point and the value points its thread
  // met before the next one (their values go with it).
  auto point_of = [&](std::size_t m) { return hb_.point[m]; };  // transition_clocks() set them
  // v is built in scratch_ (kept between races, so that a sequence that is not inserted - most
  // are not - costs no allocation).
  std::size_t count = 0;
  std::vector<std::size_t>& from = scratch_from_;  // per element: its thread point
  std::vector<std::size_t>& to = scratch_to_;      // ... and its last node taken
  from.clear();
  to.clear();
  auto element = [&](thread_id t, std::size_t first_node) -> wnode& {
    if (count == scratch_.size()) scratch_.emplace_back();
    wnode& w = scratch_[count++];
    w.thread = t;
    w.touched.clear();
    w.values.clear();
    w.unknown = false;
    w.children.clear();
    from.push_back(first_node);
    to.push_back(first_node);
    return w;
  };
  const bool probe = upto == ~std::size_t{0};
  const std::size_t last = probe ? k : point_of(k);  // where the racing access's transition begins
  for (std::size_t m = i + 1; m < last; ++m) {
    if (nodes_[m].chosen == no_thread || transition_after(i, m)) continue;
    const std::size_t p = point_of(m);
    wnode& w = count != 0 && from.back() == p ? scratch_[count - 1] : element(nodes_[p].chosen, p);
    for (const footprint_entry& e : nodes_[m].touched.sequence()) w.touched.add(e);
    to.back() = m;
  }
  wnode& tail = element(tk, last);
  to.back() = probe ? last : k;
  if (!probe) {
    for (std::size_t m = last; m < k; ++m)
      for (const footprint_entry& e : nodes_[m].touched.sequence()) tail.touched.add(e);
    const auto& seq = nodes_[k].touched.sequence();
    for (std::size_t x = 0; x < upto && x < seq.size(); ++x) tail.touched.add(seq[x]);
  }
  tail.touched.add(racing);
  for (std::size_t x = 0; x < count; ++x)
    for (std::size_t m = from[x] + 1; m <= to[x] && m < nodes_.size(); ++m)
      if (nodes_[m].value_point) scratch_[x].values.push_back(nodes_[m].value);  // (a probe has none)
  const std::span<wnode> v(scratch_.data(), count);
  rename_spawned(i, v);

  node& at = nodes_[i];
  if (!at.enabled.contains(v.front().thread)) {
    // The transition that starts it cannot run at i: held back by the yield rule (any awake
    // thread might lead there: each is a branch of its own, as the source mode does), or
    // blocked there (then no race that can be reversed).
    if (!at.held_back.contains(v.front().thread)) return;
    at.enabled.for_each([&](thread_id q) {
      if (q == at.chosen || explored(at, q) || asleep(at, q)) return;
      std::vector<wnode> one(1);
      one[0].thread = q;
      one[0].unknown = true;
      insert_sequence(at.wut, one, 1);
    });
    return;
  }
  // A thread asleep at i (or explored from i before) whose subtree holds v's class: v's class
  // was explored from there (Algorithm 2: sleep(E') and WI(v) disjoint, else nothing to do).
  // The class is that of v followed by i's transition, whole (the scheduler cannot stop inside
  // it): a sleeper that is not in v must be independent of that transition too.
  for (const auto* list : {&at.sleep, &at.explored})
    for (const sleeper& s : *list) {
      if (s.thread == at.chosen) continue;  // the branch under way: it holds the first access
      bool woken = false;
      for (const wnode& w : v) {
        if (w.thread == s.thread) return;  // an initial of v
        if (w.unknown || w.touched.dependent(*s.touched)) {
          woken = true;
          break;
        }
      }
      if (!woken && !s.touched->dependent(first)) return;  // independent of all of v and of i's transition
    }
  insert_sequence(at.wut, scratch_, count);
}

namespace {

/// The thread a spawn in `e` made (no_thread when `e` is not one): spawn writes started(child)
/// as an order, a thread's own start the same key of itself.
thread_id spawned(const footprint_entry& e, thread_id self) {
  if (e.how != footprint_entry::access::order || (e.key >> 32) != 1) return no_thread;
  const thread_id child{static_cast<std::uint32_t>(e.key & 0xffffffffu)};
  return child == self ? no_thread : child;
}

}  // namespace

void dpor_strategy::rename_spawned(std::size_t i, std::span<wnode> v) const {
  // Threads are numbered in spawn order, so a sequence that runs spawns in another order than
  // the execution did names their children otherwise: the k-th spawn in v makes thread
  // `first + k`, where `first` is the number of threads at i. What a child did, the objects it
  // made (birth keys carry their maker) and the pseudo-objects of its start, end and wake-ups
  // are renamed with it.
  bool spawns = false;
  for (const wnode& w : v)
    for (const footprint_entry& e : w.touched.sequence()) spawns = spawns || spawned(e, w.thread) != no_thread;
  if (!spawns) return;
  std::uint32_t next = 1;
  for (std::size_t m = 0; m < i; ++m)
    for (const footprint_entry& e : nodes_[m].touched.sequence())
      if (spawned(e, nodes_[m].chosen) != no_thread) ++next;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> names;  // (in the execution, in v)
  for (const wnode& w : v)
    for (const footprint_entry& e : w.touched.sequence())
      if (thread_id c = spawned(e, w.thread); c != no_thread) {
        if (c.value != next) names.emplace_back(c.value, next);
        ++next;
      }
  if (names.empty()) return;
  auto rename = [&](std::uint32_t t) {
    for (const auto& [from, to] : names)
      if (from == t) return to;
    return t;
  };
  constexpr std::uint64_t low40 = (std::uint64_t{1} << 40) - 1;
  for (wnode& w : v) {
    w.thread = thread_id{rename(w.thread.value)};
    footprint renamed;
    for (footprint_entry e : w.touched.sequence()) {
      if (e.key > low40) {  // a birth key: (maker + 1) << 40 | its count
        e.key = (std::uint64_t{rename(static_cast<std::uint32_t>((e.key >> 40) - 1)) + 1} << 40) | (e.key & low40);
      } else if (const std::uint64_t kind = e.key >> 32; kind == 1 || kind == 5 || kind == 6) {
        e.key = (kind << 32) | rename(static_cast<std::uint32_t>(e.key & 0xffffffffu));
      }
      renamed.add(e);
    }
    w.touched = std::move(renamed);
  }
}

void dpor_strategy::insert_sequence(std::vector<wnode>& level, std::vector<wnode>& v, std::size_t count) {
  // Walk down the tree: into the first branch that v can start with (its thread's transition
  // in v needs none of v's transitions before it), dropping that transition from v; a leaf
  // reached, or a branch that v leaves alone entirely, already covers v. Where no branch fits,
  // v becomes a new last branch. (Nidhugg, TSOTraceBuilder::race_detect_optimal.) `left` lists
  // the elements of v not dropped yet, in order (dropping one moves no wnode).
  auto dependent = [](const wnode& x, const wnode& y) {
    return x.unknown || y.unknown || x.touched.dependent(y.touched);
  };
  thread_local std::vector<std::uint32_t> left;
  left.resize(count);
  for (std::size_t x = 0; x < count; ++x) left[x] = static_cast<std::uint32_t>(x);
  std::vector<wnode>* here = &level;
  for (;;) {
    bool descended = false;
    for (wnode& child : *here) {
      std::size_t match = left.size();
      bool fits = true;
      for (std::size_t x = 0; x < left.size(); ++x) {
        const wnode& vx = v[left[x]];
        if (vx.thread == child.thread) {
          if (vx.values != child.values && !child.unknown) {
            fits = false;  // the same thread, other values: another branch
          } else if (child.unknown || !(vx.touched == child.touched)) {
            // Not the transition the branch ran: it must need none of v's before it.
            for (std::size_t y = 0; y < x && fits; ++y)
              if (dependent(v[left[y]], vx)) fits = false;
          }
          match = x;
          break;
        }
        if (dependent(vx, child)) {
          fits = false;
          break;
        }
      }
      if (!fits) continue;
      if (match == left.size()) return;  // child leaves v alone: a branch from it starts v's class
      if (left.size() == 1 || child.children.empty()) return;  // v runs out, or a leaf: covered
      left.erase(left.begin() + static_cast<std::ptrdiff_t>(match));
      here = &child.children;
      descended = true;
      break;
    }
    if (!descended) break;
  }
  // A new branch: what is left of v, as a chain.
  wnode chain = std::move(v[left.back()]);
  for (std::size_t x = left.size() - 1; x-- > 0;) {
    wnode w = std::move(v[left[x]]);
    w.children.push_back(std::move(chain));
    chain = std::move(w);
  }
  here->push_back(std::move(chain));
}

bool dpor_strategy::backtrack() {
  const std::size_t split_end = prefix_end();
  // Past another slice's prefix nothing is this slice's to explore.
  for (std::size_t idx = owned_ ? nodes_.size() : std::min(nodes_.size(), split_end); idx-- > 1;) {
    node& n = nodes_[idx];
    if (n.value_point) {
      if (n.turn + 1 >= n.bound) continue;
      ++n.turn;
      n.value = n.turn <= n.start ? n.turn - 1 : n.turn;  // start first, then the rest upwards
      stash_.clear();  // another value: the branch chooses freely, unless a wakeup branch
      guide_values_.clear();  // of its transition asked for this value (then it follows that)
      if (mode_ == dpor_mode::optimal) follow_value_branch(idx);
      n.done_executions += executions_ - n.entered_at;
      n.done_squares += static_cast<double>(executions_ - n.entered_at) * static_cast<double>(executions_ - n.entered_at);
      ++n.done_branches;
      n.entered_at = executions_;
    } else if (mode_ == dpor_mode::optimal) {
      // The wakeup tree's first branch that can run here (the others diverged: dropped).
      while (!n.wut.empty() && !(n.enabled.contains(n.wut.front().thread) && !explored(n, n.wut.front().thread) &&
                                 !asleep(n, n.wut.front().thread))) {
        if (!explored(n, n.wut.front().thread)) ++diverged_;
        n.wut.erase(n.wut.begin());
      }
      if (n.wut.empty()) continue;
      wnode c = std::move(n.wut.front());
      n.wut.erase(n.wut.begin());
      adopt(n, std::move(c));
      n.done_executions += executions_ - n.entered_at;
      n.done_squares += static_cast<double>(executions_ - n.entered_at) * static_cast<double>(executions_ - n.entered_at);
      ++n.done_branches;
      n.entered_at = executions_;
    } else {
      thread_id next = no_thread;
      n.backtrack.for_each([&](thread_id t) {
        if (next == no_thread && n.enabled.contains(t) && !explored(n, t) && !asleep(n, t)) next = t;
      });
      if (next == no_thread) continue;
      n.chosen = next;
      n.done_executions += executions_ - n.entered_at;
      n.done_squares += static_cast<double>(executions_ - n.entered_at) * static_cast<double>(executions_ - n.entered_at);
      ++n.done_branches;
      n.entered_at = executions_;
    }
    nodes_.resize(idx + 1);
    replay_depth_ = idx + 1;
    // Another prefix: its execution marks its split points (those of an execution with fewer
    // than d are all it has; an execution deeper in the same prefix's subtree marks none, so
    // every slice sees the same prefixes, in the same order).
    marking_splits_ = idx < split_end;
    if (marking_splits_) {
      ++prefix_number_;
      owned_ = prefix_number_ % slice_.count == slice_.index;
    }
    return true;
  }
  return false;
}

std::uint64_t dpor_strategy::estimated_total() const {
  if (exhausted_) return executions_;
  return static_cast<std::uint64_t>(profile().mean);
}

strategy::knuth_estimate dpor_strategy::profile() const {
  // Knuth's profile estimate, deepest first: what is left below a point is part of the size of
  // the branch under way there, which stands for its siblings until one of them has been
  // explored to its end. With its variance: the branches still to run at a point are taken as
  // drawn from the sizes of the branches done there, so each adds their mean and their variance
  // (Knuth 1975; Kilby et al., AAAI 2006, for a depth-first search's own profile). Where fewer
  // than two branches are done the spread is unknown: a standard deviation as large as the mean
  // stands for it. What no variance holds: races the search has not met yet add branches
  // later, so early figures run low.
  double deeper = 0, variance = 0;
  for (std::size_t i = nodes_.size(); i-- > 0;) {
    const node& n = nodes_[i];
    std::uint64_t left = 0;
    if (n.value_point) {
      left = n.bound > n.turn + 1 ? n.bound - n.turn - 1 : 0;
    } else if (mode_ == dpor_mode::optimal) {
      left = n.wut.size();
    } else {
      n.backtrack.for_each([&](thread_id t) {
        if (t != n.chosen && n.enabled.contains(t) && !explored(n, t) && !asleep(n, t)) ++left;
      });
    }
    if (left == 0) continue;
    const double under_way = static_cast<double>(executions_ - n.entered_at) + deeper;
    const double done = static_cast<double>(n.done_branches);
    const double mean = n.done_branches != 0 ? static_cast<double>(n.done_executions) / done : std::max(under_way, 1.0);
    const double var = n.done_branches >= 2 ? std::max(0.0, (n.done_squares - done * mean * mean) / (done - 1)) : mean * mean;
    deeper += static_cast<double>(left) * mean;
    variance += static_cast<double>(left) * var;
  }
  return {static_cast<double>(executions_) + deeper, 1.96 * std::sqrt(variance), executions_};
}

std::vector<dpor_strategy::transition> dpor_strategy::last_trace() const {
  std::vector<transition> out;
  for (const node& n : nodes_) out.push_back({n.chosen, n.touched});
  return out;
}

// ---- dfs_strategy ----

bool dfs_strategy::begin_execution(std::uint64_t index) {
  if (index >= budget_ || exhausted_) return false;
  stack_.begin_execution();
  spurious_.begin_execution();
  yields_.begin_execution();
  running_ = thread_id{0};
  return true;
}

pick dfs_strategy::next_thread(const choice_point& p) {
  // It observes to know who runs (for the spurious and yield rules); one option is no choice.
  const thread_set allowed = yields_.allowed(p);
  running_ = allowed.single() ? allowed.first() : nth_member(allowed, stack_.take(member_count(allowed)));
  yields_.ran(running_);
  return pick_thread(p.runnable, running_);
}

std::uint64_t dfs_strategy::next_value(std::uint64_t bound, choice_kind kind) {
  if (!spurious_.offered(kind, running_)) return 0;
  const std::uint64_t v = stack_.take(bound);
  spurious_.chose(kind, running_, v);
  return v;
}

void dfs_strategy::end_execution(std::uint64_t) {
  if (!stack_.advance()) exhausted_ = true;
}

}  // namespace lab
