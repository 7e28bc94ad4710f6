// A set of the threads of one execution (up to max_threads), as a bitmap of 64-bit words.
//
// Contract: bit t of word t / 64 is set when thread t is a member. Only the words in use are
// stored and copied: a program of up to 64 threads costs one word, as the plain mask it
// replaces did, and the fast paths (empty, single, the strategies' rank arithmetic) test
// that case first. Words past words() are never read.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#include "harness/core/ids.h"

namespace lab {

/// Number of set bits of `w`. Branch-free SWAR: std::popcount compiles to a libgcc call unless
/// the target has POPCNT, and this runs at every step.
constexpr std::uint64_t member_count(std::uint64_t w) {
  if (w < 256) {  // the common case, eight threads or fewer: two nibbles of a 16-entry table
    constexpr std::uint64_t nibble_counts = 0x4332322132212110ull;
    return ((nibble_counts >> (4 * (w & 15))) & 0xf) + ((nibble_counts >> (4 * (w >> 4))) & 0xf);
  }
  w = w - ((w >> 1) & 0x5555555555555555ull);
  w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
  w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return (w * 0x0101010101010101ull) >> 56;
}

namespace detail {
/// nth_in_byte[s][n]: the n-th set bit of the byte s (8 where there is none). A random choice
/// is data-dependent: a loop over the set would mispredict at every step, a lookup does not.
inline constexpr auto nth_in_byte = [] {
  std::array<std::array<std::uint8_t, 8>, 256> t{};
  for (unsigned s = 0; s < 256; ++s) {
    unsigned n = 0;
    for (auto& e : t[s]) e = 8;
    for (unsigned b = 0; b < 8; ++b)
      if (s & (1u << b)) t[s][n++] = static_cast<std::uint8_t>(b);
  }
  return t;
}();

/// The `n`-th (0-based) set bit of `w`; `n` < member_count(w).
inline std::uint32_t nth_bit(std::uint64_t w, std::uint64_t n) {
  if (w < 256) return detail::nth_in_byte[w][n];
  for (; n > 0; --n) w &= w - 1;
  return static_cast<std::uint32_t>(std::countr_zero(w));
}
}  // namespace detail

class thread_set {
 public:
  static constexpr std::uint32_t max_words = (max_threads + 63) / 64;

  thread_set() { w_[0] = 0; }
  /// The set whose members are the set bits of `low` (threads 0..63): `thread_set s = 0b101`.
  thread_set(std::uint64_t low) { w_[0] = low; }  // NOLINT(google-explicit-constructor)
  thread_set(const thread_set& o) : n_(o.n_) {
    for (std::uint32_t i = 0; i < n_; ++i) w_[i] = o.w_[i];
  }
  thread_set& operator=(const thread_set& o) {
    n_ = o.n_;
    for (std::uint32_t i = 0; i < n_; ++i) w_[i] = o.w_[i];
    return *this;
  }

  bool empty() const {
    if (n_ == 1) return w_[0] == 0;
    for (std::uint32_t i = 0; i < n_; ++i)
      if (w_[i]) return false;
    return true;
  }
  /// Exactly one member.
  bool single() const {
    if (n_ == 1) return w_[0] != 0 && (w_[0] & (w_[0] - 1)) == 0;
    return size() == 1;
  }
  bool contains(thread_id t) const {
    const std::uint32_t i = t >> 6;
    return i < n_ && ((w_[i] >> (t & 63)) & 1) != 0;
  }
  void insert(thread_id t) {
    const std::uint32_t i = t >> 6;
    if (i >= n_) [[unlikely]]
      grow(i + 1);
    w_[i] |= std::uint64_t{1} << (t & 63);
  }
  void erase(thread_id t) {
    const std::uint32_t i = t >> 6;
    if (i < n_) w_[i] &= ~(std::uint64_t{1} << (t & 63));
  }
  void clear() {
    n_ = 1;
    w_[0] = 0;
  }
  /// Number of members.
  std::uint64_t size() const {
    if (n_ == 1) return member_count(w_[0]);
    std::uint64_t n = 0;
    for (std::uint32_t i = 0; i < n_; ++i) n += member_count(w_[i]);
    return n;
  }
  /// The lowest member; the set must not be empty.
  thread_id first() const {
    for (std::uint32_t i = 0;; ++i)
      if (w_[i]) return thread_id{i * 64 + static_cast<std::uint32_t>(std::countr_zero(w_[i]))};
  }
  /// The `n`-th (0-based) member in increasing thread order; `n` < size().
  thread_id nth(std::uint64_t n) const {
    if (n_ == 1) return thread_id{detail::nth_bit(w_[0], n)};
    for (std::uint32_t i = 0;; ++i) {
      const std::uint64_t c = member_count(w_[i]);
      if (n < c) return thread_id{i * 64 + detail::nth_bit(w_[i], n)};
      n -= c;
    }
  }
  /// How many members are below `t` (the inverse of nth for a member).
  std::uint64_t rank(thread_id t) const {
    const std::uint32_t word = t >> 6;
    std::uint64_t n = 0;
    for (std::uint32_t i = 0; i < word && i < n_; ++i) n += member_count(w_[i]);
    if (word < n_) n += member_count(w_[word] & ((std::uint64_t{1} << (t & 63)) - 1));
    return n;
  }
  /// Calls f(t) for every member, lowest first. f may add or remove the member it was given;
  /// each word is read once, before its members are visited.
  template <class F>
  void for_each(F&& f) const {
    for (std::uint32_t i = 0; i < n_; ++i)
      for (std::uint64_t s = w_[i]; s; s &= s - 1) f(thread_id{i * 64 + static_cast<std::uint32_t>(std::countr_zero(s))});
  }
  /// Words in use (bits of thread 64 * i + b in word(i)); word(i) is 0 past words().
  std::uint32_t words() const { return n_; }
  std::uint64_t word(std::uint32_t i) const { return i < n_ ? w_[i] : 0; }

  thread_set& operator|=(const thread_set& o) {
    if (o.n_ > n_) grow(o.n_);
    for (std::uint32_t i = 0; i < o.n_; ++i) w_[i] |= o.w_[i];
    return *this;
  }
  friend thread_set operator|(thread_set a, const thread_set& b) { return a |= b; }
  /// The members of `a` that are in neither `b` nor `c`.
  static thread_set minus(const thread_set& a, const thread_set& b, const thread_set& c = {}) {
    thread_set r;
    r.n_ = a.n_;
    for (std::uint32_t i = 0; i < a.n_; ++i) r.w_[i] = a.w_[i] & ~b.word(i) & ~c.word(i);
    return r;
  }
  friend bool operator==(const thread_set& a, const thread_set& b) {
    const std::uint32_t n = a.n_ > b.n_ ? a.n_ : b.n_;
    for (std::uint32_t i = 0; i < n; ++i)
      if (a.word(i) != b.word(i)) return false;
    return true;
  }

 private:
  void grow(std::uint32_t n) {
    for (std::uint32_t i = n_; i < n; ++i) w_[i] = 0;
    n_ = n;
  }
  std::uint32_t n_ = 1;  ///< words in use, at least one
  std::array<std::uint64_t, max_words> w_;  ///< w_[0] always set; the rest up to n_
};

}  // namespace lab
