#include "reports/chrome_trace.h"

#include <fmt/format.h>

#include <map>

#include <nlohmann/json.hpp>

namespace lab::reports {
namespace {

using nlohmann::json;

constexpr int pid = 1;

json metadata(std::string_view what, int tid, const std::string& name) {
  json m = {{"ph", "M"}, {"pid", pid}, {"name", what}, {"args", {{"name", name}}}};
  if (tid >= 0) m["tid"] = tid;
  return m;
}

json sort_index(int tid, int index) {
  return {{"ph", "M"}, {"pid", pid}, {"tid", tid}, {"name", "thread_sort_index"}, {"args", {{"sort_index", index}}}};
}

}  // namespace

std::string render_chrome_trace(const variant_report& v) {
  const timeline& t = v.line;
  json events = json::array();
  events.push_back(metadata("process_name", -1,
                            fmt::format("{} - execution {} ({} strategy, seed {})", v.full_name(), v.shown.schedule + 1,
                                        v.shown.strategy, v.shown.seed)));
  // Track ids: T<n>'s operations, then its waits, then one per mutex it held, in lane order.
  int next_tid = 1;
  std::vector<int> op_tid(t.lanes.size()), wait_tid(t.lanes.size());
  std::map<std::pair<thread_id, std::string>, int> hold_tid;
  for (std::size_t lane = 0; lane < t.lanes.size(); ++lane) {
    op_tid[lane] = next_tid++;
    wait_tid[lane] = next_tid++;
    events.push_back(metadata("thread_name", op_tid[lane], t.lanes[lane]));
    events.push_back(sort_index(op_tid[lane], op_tid[lane]));
    events.push_back(metadata("thread_name", wait_tid[lane], t.lanes[lane] + " waits"));
    events.push_back(sort_index(wait_tid[lane], wait_tid[lane]));
    for (const auto& h : t.holds) {
      if (h.thread != lane || hold_tid.contains({h.thread, h.what})) continue;
      int tid = next_tid++;
      hold_tid[{h.thread, h.what}] = tid;
      events.push_back(metadata("thread_name", tid, fmt::format("{} holds {}", t.lanes[lane], h.what)));
      events.push_back(sort_index(tid, tid));
    }
  }
  for (const auto& e : t.events) {
    json args = {{"step", e.step}, {"virtual_time_ns", e.time_ns}, {"where", e.where}, {"key", e.key}};
    if (e.after_finding) args["after_finding"] = true;
    events.push_back({{"ph", "i"},
                      {"s", "t"},
                      {"pid", pid},
                      {"tid", op_tid[e.thread]},
                      {"ts", e.seq},
                      {"name", e.label},
                      {"cat", e.key ? "key" : e.category},
                      {"args", args}});
  }
  auto slice = [&](const timeline_span& s, int tid, const std::string& name) {
    std::size_t end = s.open ? s.end + 1 : s.end;
    json args = {{"open", s.open}, {"key", s.key}};
    events.push_back({{"ph", "X"},
                      {"pid", pid},
                      {"tid", tid},
                      {"ts", s.begin},
                      {"dur", std::max<std::size_t>(end - s.begin, 1)},
                      {"name", name},
                      {"cat", s.key ? "key" : "span"},
                      {"args", args}});
  };
  for (const auto& w : t.waits) slice(w, wait_tid[w.thread], "waits: " + w.what);
  for (const auto& h : t.holds) slice(h, hold_tid[{h.thread, h.what}], "holds " + h.what);
  json trace = {{"traceEvents", events},
                {"displayTimeUnit", "ms"},
                {"otherData",
                 {{"scenario", v.full_name()},
                  {"verdict", to_string(v.shown.result)},
                  {"replay", v.shown.replay},
                  {"clock", "1 us = one event of the execution, in the order they happened"}}}};
  return trace.dump(1) + "\n";
}

}  // namespace lab::reports
