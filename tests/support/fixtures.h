// Small hand-built run reports for the renderers' tests: each renderer is checked on these, with
// a golden short enough to read, instead of on the catalog's full executions (the catalog's
// output is checked by its schema and its key fields). Source locations are this file's own
// lines, taken where each fixture names them, so the goldens move only when this file does.
#pragma once

#include <source_location>

#include "harness/trace/report.h"

namespace lab::test {

/// Two threads racing on V1 'x' under no lock, as a broken counter reports it: T2 increments,
/// then T1 reads x with nothing ordering the read after T2's write. M1 'm' is declared and
/// unused (an object with a name); 9 events, one finding, a replay token.
inline run_report race_fixture() {
  using loc = std::source_location;
  const loc decl = loc::current();    // "lab::shared<int> x"
  const loc access = loc::current();  // "x = x + 1"
  const loc spawn1 = loc::current();  // "lab::thread t1(increment)"
  const loc spawn2 = loc::current();  // "lab::thread t2(increment)"
  const loc join = loc::current();    // "t1.join()"
  const loc body{};
  const thread_id t0{0}, t1{1}, t2{2};
  run_report r;
  r.scenario = "fixture/race";
  r.strategy = "random";
  r.seed = 1;
  r.result = verdict::data_race;
  r.schedule = 0;
  r.steps = 7;
  r.replay = "conlab1:fixture";
  r.reproduced = true;
  r.threads = {{t0, no_thread, {}}, {t1, t0, spawn1}, {t2, t0, spawn2}};
  r.objects = {{0, object_kind::shared, 1, "x", decl}, {1, object_kind::mutex, 1, "m", decl}};
  auto ev = [](op k, thread_id t, object_id o, std::uint32_t step, std::uint64_t arg, std::source_location l,
               bool value = false) { return event{k, value, atomic_order::seq_cst, 0, t, o, step, arg, l, 0}; };
  r.history = {ev(op::thread_start, t0, no_object, 0, 0, body),
               ev(op::thread_spawn, t0, no_object, 1, 1, spawn1),
               ev(op::thread_spawn, t0, no_object, 2, 2, spawn2),
               ev(op::join_blocked, t0, no_object, 3, 1, join),
               ev(op::thread_start, t2, no_object, 3, 0, spawn2),
               ev(op::read, t2, 0, 4, 0, access, true),
               ev(op::write, t2, 0, 5, 1, access, true),
               ev(op::thread_start, t1, no_object, 5, 0, spawn1),
               ev(op::read, t1, 0, 6, 1, access, true)};
  r.history_at_finding = r.history.size();
  finding f;
  f.kind = verdict::data_race;
  f.message = "read by T1 is not ordered with the earlier write by T2";
  f.thread = t1;
  f.step = 6;
  f.loc = access;
  f.accesses = {{t1, false, false, 0, 6, access, {}}, {t2, true, false, 0, 5, access, {1}}};
  r.findings = {f};
  r.stats = {.executions = 1, .steps = 7, .elapsed_s = 0};
  r.note = "";
  return r;
}

}  // namespace lab::test
