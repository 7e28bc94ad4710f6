// Vector clocks for happens-before, with methods named after the happens-before operations.
//
// Lamport, "Time, Clocks, and the Ordering of Events in a Distributed System", CACM 1978;
// Mattern, "Virtual Time and Global States of Distributed Systems", 1989.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "harness/core/ids.h"

namespace lab {

/// A vector clock over at most max_threads threads. Entries past size() are zero. Fixed
/// storage, so copying and resetting never allocate. Costs: O(size()) for acquire/release.
class vector_clock {
 public:
  vector_clock() = default;
  /// Copies cost O(size()), not O(max_threads): only the live entries move.
  vector_clock(const vector_clock& o) : n_(o.n_) { std::copy_n(o.c_.begin(), n_, c_.begin()); }
  vector_clock& operator=(const vector_clock& o) {
    n_ = o.n_;
    std::copy_n(o.c_.begin(), n_, c_.begin());
    return *this;
  }
  std::uint32_t get(std::uint32_t t) const { return t < n_ ? c_[t] : 0; }
  std::uint32_t size() const { return n_; }
  void set(std::uint32_t t, std::uint32_t v) {
    grow(t + 1);
    c_[t] = v;
  }
  /// Advances t's own component: what t does next is not ordered before what it released.
  void tick(std::uint32_t t) { set(t, get(t) + 1); }
  /// this = this ⊔ sync: everything released into `sync` happens-before what follows here.
  void acquire(const vector_clock& sync) {
    grow(sync.n_);
    for (std::uint32_t i = 0; i < sync.n_; ++i) c_[i] = std::max(c_[i], sync.c_[i]);
  }
  /// sync = sync ⊔ this: publishes everything up to now to later acquirers of `sync`.
  void release(vector_clock& sync) const { sync.acquire(*this); }
  /// True when the epoch (t, clock) happens-before or equals this clock.
  bool covers(std::uint32_t t, std::uint32_t clock) const { return clock <= get(t); }
  void clear() { n_ = 0; }

 private:
  void grow(std::uint32_t n) {
    for (; n_ < n; ++n_) c_[n_] = 0;
  }
  std::array<std::uint32_t, max_threads> c_;
  std::uint32_t n_ = 0;
};

}  // namespace lab
