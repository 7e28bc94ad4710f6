// Who holds which mutex, and since where: bookkeeping shared by the lock-aware detectors.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <source_location>
#include <vector>

#include "harness/core/ids.h"

namespace lab {

/// Ownership of mutexes as the event stream tells it. Recursive acquisition by the owner counts
/// up; release counts down. A release by a non-owner releases anyway (as glibc does) so that
/// the books stay consistent with the runtime. Allocation-free once grown.
class held_locks {
 public:
  /// Without `per_thread`, only owners are kept and of() must not be called: cheaper, for
  /// detectors that only ask who owns a mutex.
  explicit held_locks(bool per_thread = true) : per_thread_(per_thread) {}
  /// Forgets everything; costs O(threads and mutexes touched since the last reset).
  void reset() {
    for (thread_id t = 0; t < threads_used_; ++t) by_thread_[t].clear();
    for (object_id m = 0; m < owners_used_; ++m) owners_[m] = {};
    threads_used_ = 0;
    owners_used_ = 0;
  }
  void acquired(thread_id t, object_id m, std::source_location loc) {
    if (m >= owners_.size()) owners_.resize(m + 1);
    threads_used_ = std::max(threads_used_, t + 1);
    owners_used_ = std::max(owners_used_, m + 1);
    auto& o = owners_[m];
    if (o.owner == t) {
      ++o.depth;
      return;
    }
    o = {t, 1, loc};
    if (per_thread_) by_thread_[t].push_back(m);
  }
  /// Returns the owner before the release (no_thread if it was free).
  thread_id released(object_id m) {
    if (m >= owners_.size()) return no_thread;
    auto& o = owners_[m];
    thread_id was = o.owner;
    if (was == no_thread) return was;
    if (--o.depth > 0) return was;
    o = {};
    if (!per_thread_) return was;
    auto& v = by_thread_[was];
    for (std::size_t i = v.size(); i-- > 0;)  // usually the last one taken
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
  bool per_thread_;
  thread_id threads_used_ = 0;  ///< by_thread_[t] may be non-empty only below this
  object_id owners_used_ = 0;   ///< owners_[m] may be set only below this
};

}  // namespace lab
