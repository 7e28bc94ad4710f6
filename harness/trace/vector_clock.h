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

/// A vector clock over at most max_threads threads. Invariant: entries at and past size() are
/// zero, so joining never has to grow the clock entry by entry. Fixed storage, so copying and
/// resetting never allocate. Costs: O(size()) for acquire, release, copy and clear; up to
/// `small` threads, a fixed block of `small` entries (straight-line vector code, no loop).
class vector_clock {
 public:
  static constexpr std::uint32_t small = 8;

  vector_clock() { c_.fill(0); }
  /// Copies cost O(size()), not O(max_threads): only the live entries move.
  vector_clock(const vector_clock& o) : n_(o.n_) {
    c_.fill(0);
    std::copy_n(o.c_.begin(), n_, c_.begin());
  }
  vector_clock& operator=(const vector_clock& o) {
    if (n_ <= small && o.n_ <= small) {
      for (std::uint32_t i = 0; i < small; ++i) c_[i] = o.c_[i];
    } else {
      if (o.n_ < n_) std::fill(c_.begin() + o.n_, c_.begin() + n_, 0u);
      std::copy_n(o.c_.begin(), o.n_, c_.begin());
    }
    n_ = o.n_;
    return *this;
  }
  std::uint32_t get(std::uint32_t t) const { return c_[t]; }  // zero past size()
  std::uint32_t size() const { return n_; }
  void set(std::uint32_t t, std::uint32_t v) {
    c_[t] = v;
    n_ = std::max(n_, t + 1);
  }
  /// Advances t's own component: what t does next is not ordered before what it released.
  void tick(std::uint32_t t) { set(t, c_[t] + 1); }
  /// this = this ⊔ sync: everything released into `sync` happens-before what follows here.
  [[gnu::always_inline]] void acquire(const vector_clock& sync) {
    const std::uint32_t n = sync.n_;
    if (n <= small) {
      for (std::uint32_t i = 0; i < small; ++i) c_[i] = std::max(c_[i], sync.c_[i]);
    } else {
      for (std::uint32_t i = 0; i < n; ++i) c_[i] = std::max(c_[i], sync.c_[i]);
    }
    n_ = std::max(n_, n);
  }
  /// sync = sync ⊔ this: publishes everything up to now to later acquirers of `sync`.
  [[gnu::always_inline]] void release(vector_clock& sync) const { sync.acquire(*this); }
  /// Both at once, as a read-modify-write of a sequentially consistent atomic does: this and
  /// `sync` both become this ⊔ sync.
  [[gnu::always_inline]] void acquire_release(vector_clock& sync) {
    const std::uint32_t n = std::max(n_, sync.n_);
    if (n <= small) {
      for (std::uint32_t i = 0; i < small; ++i) c_[i] = sync.c_[i] = std::max(c_[i], sync.c_[i]);
    } else {
      for (std::uint32_t i = 0; i < n; ++i) c_[i] = sync.c_[i] = std::max(c_[i], sync.c_[i]);
    }
    n_ = sync.n_ = n;
  }
  /// True when the epoch (t, clock) happens-before or equals this clock.
  bool covers(std::uint32_t t, std::uint32_t clock) const { return clock <= c_[t]; }
  void clear() {
    if (n_ <= small) {
      for (std::uint32_t i = 0; i < small; ++i) c_[i] = 0;
    } else {
      std::fill(c_.begin(), c_.begin() + n_, 0u);
    }
    n_ = 0;
  }

 private:
  std::array<std::uint32_t, max_threads> c_;
  std::uint32_t n_ = 0;
};

}  // namespace lab
