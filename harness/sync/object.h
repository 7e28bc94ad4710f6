// What every instrumented object shares: its per-execution identity and the backend switch.
#pragma once

#include <atomic>
#include <cstdint>
#include <source_location>
#include <string_view>
#include <vector>
#include <utility>

#include "harness/core/ids.h"
#include "harness/runtime/execution.h"
#include "harness/trace/finding.h"

namespace lab {

/// A value and where the user's code wrote it: lets operators that cannot take a defaulted
/// std::source_location (operator=, binary operators) still record the caller's line, because
/// the implicit conversion to located<T> happens at the call site.
template <class T>
struct located {
  template <class U>
    requires std::convertible_to<U&&, T>
  located(U&& v, std::source_location l = std::source_location::current())  // NOLINT(google-explicit-constructor)
      : value(std::forward<U>(v)), loc(l) {}
  T value;
  std::source_location loc;
};

namespace detail {

/// The simulated identity of an object. Objects are registered lazily, on first use in each
/// execution, so an object that outlives one execution (a global, a test fixture member) is
/// simply a new object in the next; `fresh()` tells the owner to reset its simulated state.
struct sim_identity {
  std::uint64_t generation = 0;
  object_id id = no_object;
  const char* name = nullptr;
  std::source_location declared_at{};
  std::uint64_t birth = rt::execution::birth_key(this);  ///< see execution::birth_key

  /// Registers the object in `ex` if this is its first use there; true when it was.
  bool refresh(rt::execution& ex, object_kind kind) { return refresh(ex, object_traits{kind}); }
  bool refresh(rt::execution& ex, const object_traits& traits) {
    if (generation == ex.generation()) return false;
    generation = ex.generation();
    id = ex.register_object(traits, name, declared_at, birth);
    return true;
  }
  bool live_in(const rt::execution& ex) const { return generation == ex.generation(); }
  /// Emits `what` about this object (of kind `k`, registered now if new) when an execution is
  /// running and not being torn down. No scheduling point of its own: for events that belong to
  /// an operation around them (a pool's task events, the GIL's lock events).
  void emit(const object_traits& traits, op what, std::source_location loc, std::uint64_t arg = 0) {
    auto* ex = rt::execution::current();
    if (!ex || ex->aborting()) return;
    refresh(*ex, traits);
    ex->emit(what, id, loc, arg);
  }
  void emit(object_kind k, op what, std::source_location loc, std::uint64_t arg = 0) {
    emit(object_traits{k}, what, loc, arg);
  }
};

/// Native backend: findings of lab::assert_that and of exceptions escaping threads, collected
/// process-wide (thread-safe) for the native runner to report.
void native_report(finding f);
std::vector<finding> native_take_findings();
/// Native backend: lab::this_thread::work(d) spins for d * factor (the model's CPU times can be
/// long; a native smoke run may shrink them). 1 by default.
void set_native_work_scale(double factor);
/// Native backend: what lab::record_latency recorded, process-wide.
sample_store native_take_samples();
/// Native backend: records one lab::record_latency sample (thread-safe).
void native_record_sample(std::string_view name, std::uint64_t ns);
/// The factor of set_native_work_scale.
double native_work_scale();

/// Native backend: jitter (`conlab run --backend native --jitter P`). At each lab primitive,
/// before the real operation, a thread yields with probability P and sleeps 1-100 us with
/// probability P/10, so that a race window opens more often on real threads. Off (0) by default;
/// when off the cost is one relaxed load. Thread-safe.
void set_native_jitter(double probability);
extern std::atomic<std::uint32_t> native_jitter_ppm;  ///< P in parts per million
void native_jitter_slow();
inline void native_jitter() {
  if (native_jitter_ppm.load(std::memory_order_relaxed) != 0) native_jitter_slow();
}

/// One operation of a lab primitive on the backend in use: `sim(execution&)` inside a simulated
/// execution, else the native jitter and then `native()`. Every operation of every primitive
/// goes through here, so the two halves cannot drift apart (the sim half then runs the fixed
/// order of harness/runtime/execution.h: point, operation, event). Both must return the same
/// type.
template <class Sim, class Native>
decltype(auto) dispatch(Sim&& sim, Native&& native) {
  if (auto* ex = rt::execution::current()) return std::forward<Sim>(sim)(*ex);
  if (rt::execution::someone_explores()) [[unlikely]]
    rt::execution::foreign_thread();  // a real thread inside a model: the explorer says so
  native_jitter();
  return std::forward<Native>(native)();
}

}  // namespace detail
}  // namespace lab
