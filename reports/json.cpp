#include "reports/json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "harness/trace/reads_from.h"
#include "reports/json_detail.h"
#include "reports/labels.h"

namespace lab::reports {
namespace {

using nlohmann::json;

json location_json(const std::source_location& loc) {
  if (!loc.file_name() || !*loc.file_name()) return nullptr;
  return {{"file", loc.file_name()}, {"line", loc.line()}};
}

std::string tid(thread_id t) { return t == no_thread ? std::string() : fmt::format("{}", t); }

json finding_json(const run_report& r, const finding& f) {
  json j = {{"kind", to_string(f.kind)}, {"message", f.message}, {"step", f.step}, {"location", location_json(f.loc)}};
  json threads = json::array(), objects = json::array(), locations = json::array();
  auto add_thread = [&](thread_id t) {
    if (t != no_thread && std::find(threads.begin(), threads.end(), tid(t)) == threads.end()) threads.push_back(tid(t));
  };
  auto add_object = [&](object_id o) {
    if (o != no_object && std::find(objects.begin(), objects.end(), object_short_id(r, o)) == objects.end())
      objects.push_back(object_short_id(r, o));
  };
  auto add_location = [&](const std::source_location& loc, thread_id t, std::uint32_t step, std::string_view role) {
    json l = location_json(loc);
    if (l.is_null()) return;
    l["thread"] = tid(t);
    l["step"] = step;
    l["role"] = role;
    locations.push_back(std::move(l));
  };
  add_thread(f.thread);
  json accesses = json::array();
  for (const auto& a : f.accesses) {
    add_thread(a.thread);
    add_object(a.object);
    add_location(a.loc, a.thread, a.step, a.write ? "write" : "read");
    json locks = json::array();
    for (auto l : a.locks_held) locks.push_back(object_short_id(r, l));
    accesses.push_back({{"thread", tid(a.thread)}, {"access", a.write ? "write" : "read"}, {"object", object_short_id(r, a.object)},
                        {"step", a.step}, {"location", location_json(a.loc)}, {"locks_held", locks}});
  }
  json waits = json::array();
  for (const auto& w : f.waits) {
    add_thread(w.thread);
    add_thread(w.holder);
    add_object(w.object);
    if (w.via != no_object) add_object(w.via);
    if (w.holder_task != no_object) add_object(w.holder_task);
    add_location(w.loc, w.thread, w.step, "wait");
    std::string_view on = "mutex";
    switch (w.what) {
      case wait_info::on::mutex: on = "mutex"; break;
      case wait_info::on::condition: on = "condition"; break;
      case wait_info::on::join: on = "join"; break;
      case wait_info::on::semaphore: on = "semaphore"; break;
      case wait_info::on::task: on = "task"; break;
      case wait_info::on::coroutine: on = "coroutine"; break;
    }
    waits.push_back({{"thread", tid(w.thread)}, {"waits_on", on}, {"object", w.object == no_object ? "" : object_short_id(r, w.object)},
                     {"holder", tid(w.holder)}, {"step", w.step}, {"location", location_json(w.loc)},
                     {"held_at", location_json(w.held_at)}, {"queued", w.queued},
                     {"held_shared", w.held_shared},
                     {"via", w.via == no_object ? "" : object_short_id(r, w.via)},
                     {"holder_task", w.holder_task == no_object ? "" : object_short_id(r, w.holder_task)}});
  }
  json edges = json::array();
  for (const auto& e : f.edges) {
    add_thread(e.thread);
    add_object(e.first);
    add_object(e.second);
    add_location(e.second_loc, e.thread, e.step, "acquire");
    edges.push_back({{"thread", tid(e.thread)}, {"held", object_short_id(r, e.first)}, {"acquired", object_short_id(r, e.second)},
                     {"step", e.step}, {"held_at", location_json(e.first_loc)}, {"acquired_at", location_json(e.second_loc)}});
  }
  json notes = json::array();
  for (const auto& n : f.notes) {
    add_thread(n.thread);
    add_location(n.loc, n.thread, n.step, "note");
    notes.push_back({{"thread", tid(n.thread)}, {"step", n.step}, {"text", n.text}, {"location", location_json(n.loc)}});
  }
  if (f.loc.file_name() && *f.loc.file_name() && locations.empty()) add_location(f.loc, f.thread, f.step, "detected");
  j["threads"] = threads;
  j["objects"] = objects;
  j["locations"] = locations;
  j["accesses"] = accesses;
  j["waits"] = waits;
  j["cycle"] = f.cycle;
  j["edges"] = edges;
  j["notes"] = notes;
  return j;
}

}  // namespace

nlohmann::json run_json(const run_report& r) {
  auto [name, variant] = split_name(r.scenario);
  json j = {{"scenario", name},      {"variant", variant},          {"backend", r.backend},
            {"strategy", r.strategy}, {"seed", r.seed},              {"schedule", r.schedule},
            {"execution", r.schedule + 1}, {"replayed", r.replayed}, {"interrupted", r.interrupted},
            {"steps", r.steps},       {"verdict", to_string(r.result)}, {"replay", r.replay},
            {"replay_command", r.replay.empty() ? std::string() : r.replay_command.empty() ? "conlab replay " + r.replay : r.replay_command},
            {"reproduced", r.reproduced}, {"note", r.note},
            {"shard", r.shard}, {"preemptions", r.preemptions}, {"minimal", r.minimal}, {"minimisation", r.minimisation}};
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(r, f));
  j["findings"] = findings;
  json threads = json::array();
  for (const auto& t : r.threads)
    threads.push_back({{"id", tid(t.id)}, {"parent", tid(t.parent)}, {"created_at", location_json(t.created_at)}});
  j["threads"] = threads;
  json objects = json::array();
  for (const auto& o : r.objects)
    objects.push_back({{"id", object_short_id(r, o.id)}, {"name", o.name}, {"declared_at", location_json(o.declared_at)}});
  j["objects"] = objects;
  json steps = json::array();
  const auto stale = stale_reads(r.history, r.history.size());
  std::size_t next_stale = 0;
  for (std::size_t i = 0; i < r.history.size(); ++i) {
    const event& e = r.history[i];
    json s = {{"step", e.step}, {"thread", tid(e.thread)}, {"op", to_string(e.kind)}, {"location", location_json(e.loc)}};
    if (e.object != no_object) s["object"] = object_short_id(r, e.object);
    if (e.has_value) s["value"] = static_cast<std::int64_t>(e.arg);
    if (is_atomic(e.kind)) s["order"] = to_string(e.order);
    if (next_stale < stale.size() && stale[next_stale].load == i) {
      const stale_read& sr = stale[next_stale++];
      s["reads_from"] = sr.source ? json(*sr.source) : json(nullptr);
      json unseen = json::array();
      for (std::size_t u : sr.unseen) unseen.push_back(u);
      s["unseen"] = unseen;
    }
    steps.push_back(std::move(s));
  }
  j["interleaving"] = steps;
  j["interleaving_at_finding"] = r.history_at_finding;  // events before the finding; the rest came after
  json measured = json::array();
  for (const auto& m : r.measurements)
    measured.push_back({{"name", m.name}, {"count", m.count}, {"p50_ns", m.p50_ns}, {"p99_ns", m.p99_ns}, {"max_ns", m.max_ns}});
  j["measurements"] = measured;
  j["measured_executions"] = r.measured_executions;
  j["stats"] = {{"executions", r.stats.executions}, {"steps", r.stats.steps},           {"elapsed_s", r.stats.elapsed_s},
                {"exhaustive", r.stats.exhaustive},   {"classes", r.stats.classes},
                {"estimated_executions", r.stats.estimated_executions},
                {"knuth_estimate", r.stats.knuth_estimate}, {"knuth_half_width", r.stats.knuth_half_width}};
  return j;
}

nlohmann::json loc_json(const std::source_location& loc) { return location_json(loc); }

std::string render_json(const run_report& r) { return run_json(r).dump(2) + "\n"; }

}  // namespace lab::reports
