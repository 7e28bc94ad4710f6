// lab::shared<T>: a plain variable whose every read and write the lab sees.
#pragma once

#include <concepts>

#include "harness/sync/atomic.h"
#include "harness/sync/object.h"

namespace lab {

/// A plain, non-atomic variable of type T shared between threads: the thing data races are
/// about. Under the sim backend every read and write is a scheduling point and an event for the
/// race detector; under the native backend it is a plain T, so ThreadSanitizer sees the real
/// accesses. Reads are explicit (`load()`, or an operator with a located operand) so that every
/// read carries a source line:
///   lab::shared<int> x{0, "x"};
///   x = x + 1;        // a read at this line, then a write at this line
///   x += 1;           // the same
///   if (x == 3) ...   // a read
template <class T>
class shared {
 public:
  explicit shared(T init = T{}, const char* name = nullptr, std::source_location loc = std::source_location::current())
      : value_(std::move(init)), id_{0, no_object, name, loc} {}
  shared(const shared&) = delete;
  shared& operator=(const shared&) = delete;

  T load(std::source_location loc = std::source_location::current()) const {
    return detail::dispatch(
        [&](rt::execution& ex) {
          if (!ex.access_point(pending(ex, op::read), loc)) return value_;
          id_.refresh(ex, object_kind::shared);
          ex.emit(op::read, id_.id, loc, detail::value_bits(value_), detail::value_printable<T>);
          return value_;
        },
        [&] { return value_; });
  }
  void store(T v, std::source_location loc = std::source_location::current()) {
    modify([&](T& value) { value = std::move(v); }, loc);
  }
  shared& operator=(located<T> v) {
    store(std::move(v.value), v.loc);
    return *this;
  }
  shared& operator+=(located<T> d) {
    store(static_cast<T>(load(d.loc) + d.value), d.loc);
    return *this;
  }
  shared& operator-=(located<T> d) {
    store(static_cast<T>(load(d.loc) - d.value), d.loc);
    return *this;
  }
  friend T operator+(const shared& a, located<T> b) { return static_cast<T>(a.load(b.loc) + b.value); }
  friend T operator-(const shared& a, located<T> b) { return static_cast<T>(a.load(b.loc) - b.value); }
  friend bool operator==(const shared& a, located<T> b) { return a.load(b.loc) == b.value; }
  friend auto operator<=>(const shared& a, located<T> b) { return a.load(b.loc) <=> b.value; }

  /// Applies `f` to the value in place, as one write (a container's push_back, say): a write
  /// conflicts with every other access, so that is what the race detector checks.
  template <class F>
  void modify(F&& f, std::source_location loc = std::source_location::current()) {
    detail::dispatch(
        [&](rt::execution& ex) {
          if (!ex.access_point(pending(ex, op::write), loc)) return;
          id_.refresh(ex, object_kind::shared);
          f(value_);
          ex.emit(op::write, id_.id, loc, detail::value_bits(value_), detail::value_printable<T>);
        },
        [&] { f(value_); });
  }

  /// Unchecked access for set-up and inspection outside any thread of the execution (no event).
  T& unsafe_get() { return value_; }

 private:
  /// What the thread is about to do, for the strategy; registers the object first.
  pending_op pending(rt::execution& ex, op kind) const {
    id_.refresh(ex, object_kind::shared);
    return {kind, id_.id};
  }
  T value_;
  mutable detail::sim_identity id_;
};

}  // namespace lab
