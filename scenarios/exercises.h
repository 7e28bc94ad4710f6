// Workshop exercises: one per broken catalog variant that has the learner's file (see
// docs/workshops.md). An exercise is the variant's body as the learner edits it
// (scenarios/NAME/exercise.cpp), its fix (solution.cpp), what the learner is to achieve, hints
// and the invariants a fix must keep: the behaviour the scenario exists for, so that a "fix"
// that removes the threads, the requests or the money fails instead of passing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/trace/report.h"

namespace lab {

/// What a fixed program must still do, checked on the full history of a few executions
/// ("witnesses", harness/explore/explorer.h: observe) and on the learner's source.
struct invariant {
  enum class kind {
    threads,      ///< at least `n` threads besides T0 ran
    tasks,        ///< at least `n` coroutine tasks were spawned on an event loop (to run on their own)
    pool_tasks,   ///< at least `n` tasks ran on a thread pool's workers (started there)
    modified_by,  ///< the object named `object` was written by at least `n` threads (plain or atomic)
    final_value,  ///< the last value written to `object` was `n`
    within_ms,    ///< the execution ended within `n` ms of virtual time
    source_has,   ///< the learner's file still holds `text` (the scenario's own check, for instance)
  };
  kind what = kind::threads;
  std::int64_t n = 0;
  std::string_view object = {};
  std::string_view text = {};
  std::string_view says;  ///< the invariant as the learner reads it: "both threads still add 1 to x"
};

/// One invariant on the learner's program: held or not, and what was seen.
struct invariant_result {
  const invariant* rule = nullptr;
  bool held = false;
  std::string seen;  ///< "3 threads", "x written by T1 only", ...
};

struct exercise {
  std::string_view name;     ///< the scenario's name: `conlab exercise start lost_update`
  std::string_view variant;  ///< the catalog variant it starts from: "lost_update/broken"
  std::string_view goal;     ///< one sentence: what the learner's fix must achieve
  int difficulty = 1;        ///< 1 warm-up, 2 workshop, 3 advanced
  std::string_view look_at;  ///< the first hint: where to look
  std::vector<invariant> invariants;
  std::string_view source;    ///< scenarios/NAME/exercise.cpp, as the learner gets it
  std::string_view solution;  ///< scenarios/NAME/solution.cpp
  std::string_view readme;    ///< scenarios/NAME/README.md (the hints' second and third steps)
  std::string_view failure_mode() const;
  std::string file_name() const { return std::string(name) + ".cpp"; }
  /// The catalog's fix of the scenario: "check_then_act/fixed" for check_then_act_locked_steps.
  /// The scenario the broken variant belongs to (check_then_act for check_then_act/broken_locked_steps).
  std::string_view scenario_name() const { return variant.substr(0, variant.find('/')); }
  std::string fixed_variant() const { return std::string(scenario_name()) + "/fixed"; }
};

/// Every exercise, in catalog order.
const std::vector<exercise>& exercises();
/// The exercise called `name` (or its variant's full name), or null.
const exercise* find_exercise(std::string_view name);
/// "warm-up", "workshop" or "advanced".
std::string_view difficulty_name(int difficulty);

/// The hints of an exercise, first to last: where to look, then the bad interleaving (the
/// README's "Interleaving" section), then the shape of the fix (its "Fix" section).
std::vector<std::string> hints(const exercise& e);

/// Checks every invariant of `e` on the executions `witnesses` (each with its full history) and
/// the learner's `source`; an invariant on executions must hold in each of them.
std::vector<invariant_result> check_invariants(const exercise& e, const std::vector<run_report>& witnesses,
                                               std::string_view source);

}  // namespace lab
