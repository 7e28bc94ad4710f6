// Who holds which mutex, and since where: the one ownership record the lock-aware detectors read.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <source_location>
#include <vector>

#include "harness/core/ids.h"
#include "harness/trace/event.h"

namespace lab {

/// Ownership of mutexes (and shared_mutexes held exclusively) as the event stream tells it:
/// lock_acquired and unlock. Recursive acquisition by the owner counts up; release counts down.
/// A release by a non-owner releases anyway (as glibc does) so that the books stay consistent
/// with the runtime.
///
/// In a detector set (harness/explore/detector_set.h) one table serves every detector and is
/// updated once per lock event, after the detectors have seen the event: a detector reads the
/// table as it was before the event it handles. A detector used on its own keeps a table of its
/// own, updated the same way (lock_aware below). Allocation-free once grown; O(1) per event,
/// but for the release of a mutex other than the thread's last one (O(mutexes it holds)).
class lock_table {
 public:
  /// The events that change the table.
  static constexpr op_mask ops = mask_of(op::lock_acquired, op::unlock);

  /// Forgets everything; costs O(threads and mutexes touched since the last reset).
  void reset() {
    for (std::uint32_t t = 0; t < threads_used_; ++t) by_thread_[t].clear();
    for (object_id m = 0; m < owners_used_; ++m) owners_[m] = {};
    threads_used_ = 0;
    owners_used_ = 0;
  }
  /// Applies a lock_acquired or unlock event; other events change nothing.
  void update(const event& e) {
    if (e.kind == op::lock_acquired) acquired(e.thread, e.object, e.loc);
    else if (e.kind == op::unlock) released(e.object);
  }
  /// update() for an event known to be of operation O.
  template <op O>
  void on(const event& e) {
    if constexpr (O == op::lock_acquired) acquired(e.thread, e.object, e.loc);
    else if constexpr (O == op::unlock) released(e.object);
  }
  void acquired(thread_id t, object_id m, std::source_location loc) {
    if (m >= owners_.size()) owners_.resize(m + 1);
    threads_used_ = std::max<std::uint32_t>(threads_used_, t + 1);
    owners_used_ = std::max(owners_used_, m + 1);
    auto& o = owners_[m];
    if (o.owner == t) {
      ++o.depth;
      return;
    }
    o = {t, 1, loc};
    by_thread_[t].push_back(m);
  }
  /// Returns the owner before the release (no_thread if it was free).
  thread_id released(object_id m) {
    if (m >= owners_.size()) return no_thread;
    auto& o = owners_[m];
    thread_id was = o.owner;
    if (was == no_thread) return was;
    if (--o.depth > 0) return was;
    o = {};
    auto& v = by_thread_[was];
    if (!v.empty() && v.back() == m) {  // usually the last one taken
      v.pop_back();
      return was;
    }
    for (std::size_t i = v.size(); i-- > 0;)
      if (v[i] == m) {
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    return was;
  }
  thread_id owner(object_id m) const { return m < owners_.size() ? owners_[m].owner : no_thread; }
  std::source_location acquired_at(object_id m) const { return m < owners_.size() ? owners_[m].loc : std::source_location{}; }
  /// Calls f(mutex, owner, acquired_at) for every mutex held now. O(mutexes touched).
  template <class F>
  void each_owned(F&& f) const {
    for (object_id m = 0; m < owners_used_; ++m)
      if (owners_[m].owner != no_thread) f(m, owners_[m].owner, owners_[m].loc);
  }
  /// Mutexes `t` holds, in acquisition order.
  const std::vector<object_id>& of(thread_id t) const { return by_thread_[t]; }

 private:
  struct owner_rec {
    thread_id owner = no_thread;
    std::uint32_t depth = 0;
    std::source_location loc{};
  };
  std::vector<owner_rec> owners_;
  std::array<std::vector<object_id>, max_threads> by_thread_;
  std::uint32_t threads_used_ = 0;  ///< by_thread_[t] may be non-empty only below this
  object_id owners_used_ = 0;       ///< owners_[m] may be set only below this
};

/// The lock table of a detector that reads one: the detector set's shared table, or (for a
/// detector used on its own, as the detector tests do) one of its own that on_event updates
/// after handling each event.
class lock_aware {
 public:
  /// Shares `table`, which its owner updates after every detector has handled each event.
  explicit lock_aware(const lock_table& table) : locks_(&table) {}
  /// Keeps a table of its own.
  lock_aware() : locks_(&own_) {}
  lock_aware(const lock_aware&) = delete;
  lock_aware& operator=(const lock_aware&) = delete;

 protected:
  const lock_table& locks() const { return *locks_; }
  /// For on_event of a detector on its own: keep the own table current.
  void update_own(const event& e) {
    if (locks_ == &own_) own_.update(e);
  }
  /// For begin_execution: reset the own table (a shared one is reset by its owner).
  void reset_own() {
    if (locks_ == &own_) own_.reset();
  }

 private:
  lock_table own_;
  const lock_table* locks_;
};

}  // namespace lab
