#include "reports/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "reports/labels.h"

namespace lab::reports {
namespace {

// The timeline keeps its first and last events when an execution is long (as the text table
// does): a page stays light enough for a browser, and the finding is at the end.
constexpr std::size_t max_columns = 600, head_columns = 150;

constexpr std::string_view style = R"css(
:root { --col: 8.5rem; --head: 5.5rem; font-family: system-ui, sans-serif; color: #1d1d1f; background: #fff; }
body { margin: 0 1.5rem 4rem; line-height: 1.4; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #ddd; } h3 { margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .85rem; }
th, td { border: 1px solid #ccc; padding: .2rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f3f5; }
td code { word-break: break-all; }
code, pre, .ev, .bar { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f7f7f9; padding: .6rem; overflow-x: auto; font-size: .78rem; }
blockquote { margin: .4rem 0; padding-left: .8rem; border-left: 3px solid #bbb; color: #444; }
.unmet { color: #b00020; font-weight: bold; } .met { color: #1b7f3b; }
.timeline { position: relative; overflow-x: auto; border: 1px solid #ddd; padding: .3rem 0; margin: .6rem 0; background: #fcfcfd; }
.lane { display: grid; grid-template-columns: var(--head) repeat(var(--cols), var(--col)); grid-auto-rows: auto;
        border-bottom: 1px dashed #e3e3e3; padding: .15rem 0; width: max-content; }
.lane-head { grid-column: 1; grid-row: 1 / span 9; font-weight: bold; padding: 0 .4rem; position: sticky; left: 0;
             background: #fcfcfd; z-index: 2; font-size: .85rem; }
.lane-head small { display: block; font-weight: normal; color: #666; font-size: .7rem; }
.ev { grid-row: 1; font-size: .7rem; margin: 1px; padding: 1px 3px; border-radius: 3px; border: 1px solid #bbb;
      background: #eef; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; cursor: default; }
.ev .st { color: #777; margin-right: .25rem; }
.cat-lock { background: #dfe9ff; border-color: #7a9be0; } .cat-wait { background: #ffe8cc; border-color: #e09a4a; }
.cat-access { background: #e4f6e4; border-color: #6bb56b; } .cat-atomic { background: #eaf7f7; border-color: #6aa; }
.cat-thread { background: #f0e8ff; border-color: #a68ad6; } .cat-task { background: #fff6d6; border-color: #c9a93a; }
.cat-time { background: #f1f1f1; border-color: #aaa; } .cat-other { background: #fbe7f3; border-color: #c77aa6; }
.ev.key { outline: 2px solid #d0021b; font-weight: bold; background: #ffd9de; }
.ev.after { opacity: .45; }
.bar { font-size: .65rem; margin: 1px; padding: 0 4px; border-radius: 2px; white-space: nowrap; overflow: hidden;
       text-overflow: ellipsis; }
.bar.hold { background: #b9ccf5; color: #123; } .bar.wait { background: #f7c58a; color: #421; }
.bar.rf { background: none; border-bottom: 2px dashed #8a3ffc; color: #4b1d91; }
.bar.rf::after { content: " \2192"; }
.bar.key { background: repeating-linear-gradient(45deg, #f29aa6, #f29aa6 6px, #f7c58a 6px, #f7c58a 12px); font-weight: bold; }
.bar.open::after { content: " (to the end)"; }
.gap { grid-row: 1 / span 9; font-size: .7rem; color: #888; padding: 0 .3rem; writing-mode: vertical-rl; }
#detail { position: fixed; bottom: 0; left: 0; right: 0; background: #1d1d1f; color: #f5f5f7; padding: .45rem 1rem;
          font-family: ui-monospace, monospace; font-size: .8rem; min-height: 2.6rem; z-index: 5; }
#detail .src { color: #9fe3a5; display: block; white-space: pre; overflow: hidden; text-overflow: ellipsis; }
.legend span { display: inline-block; margin-right: .5rem; padding: 0 .3rem; font-size: .75rem; border: 1px solid #bbb; }
)css";

// Reads data-* attributes into the footer with textContent: nothing from the page is parsed as HTML.
constexpr std::string_view script = R"js(
(function () {
  var detail = document.getElementById('detail');
  function show(el) {
    while (detail.firstChild) detail.removeChild(detail.firstChild);
    var head = document.createElement('span');
    head.textContent = el.getAttribute('data-info') || '';
    detail.appendChild(head);
    var src = el.getAttribute('data-src');
    if (src) {
      var line = document.createElement('span');
      line.className = 'src';
      line.textContent = (el.getAttribute('data-where') || '') + ':  ' + src;
      detail.appendChild(line);
    }
  }
  document.addEventListener('mouseover', function (e) {
    var el = e.target.closest ? e.target.closest('.ev, .bar') : null;
    if (el) show(el);
  });
  // Open every timeline at its finding: the first highlighted event, a little context before it.
  var timelines = document.querySelectorAll('.timeline');
  for (var i = 0; i < timelines.length; ++i) {
    var key = timelines[i].querySelector('.ev.key');
    if (key) timelines[i].scrollLeft = Math.max(0, key.offsetLeft - timelines[i].clientWidth / 3);
  }
  document.body.setAttribute('data-ready', String(timelines.length));
})();
)js";

std::string esc(std::string_view s) { return html_escape(s); }

std::string anchor(std::string_view name, std::string_view variant) { return esc(fmt::format("{}-{}", name, variant)); }

std::string source_of(const lab_report& r, const std::string& where) {
  auto it = r.sources.find(where);
  return it == r.sources.end() ? std::string() : it->second;
}

void index_table(std::string& out, const lab_report& r) {
  out += "<table class=\"index\"><thead><tr><th>#</th><th>Failure mode</th><th>Scenario</th><th>The documents' warning</th>"
         "<th>Verdict</th><th>Found by</th><th>Executions to the first finding</th><th>Replay</th><th>Fix</th></tr></thead><tbody>\n";
  for (const auto& m : r.modes) {
    std::string warn = m.warnings.empty() ? "-"
                                          : fmt::format("&ldquo;{}&rdquo; <small>({})</small>", esc(m.warnings.front().quote),
                                                        esc(m.warnings.front().document));
    if (m.scenarios.empty()) {
      fmt::format_to(std::back_inserter(out),
                     "<tr><td>{}</td><td>{}</td><td>every scenario</td><td>{}</td><td colspan=\"5\">{}</td></tr>\n", m.number,
                     esc(m.title), warn, esc(m.served_by));
      continue;
    }
    for (const auto& name : m.scenarios) {
      const scenario_report* s = find_scenario_report(r, name);
      if (!s) continue;
      std::string fixes;
      for (const auto& v : s->variants)
        if (v.expected == verdict::clean)
          fixes += fmt::format("<a href=\"#{}\">{}</a>: <span class=\"{}\">{}</span>{} ", anchor(v.name, v.variant),
                               esc(v.variant), v.met ? "met" : "unmet", esc(to_string(v.shown.result)),
                               v.coverage.empty() ? "" : " <small>" + esc(v.coverage) + "</small>");
      for (const auto& v : s->variants) {
        if (v.expected == verdict::clean) continue;
        auto found = found_by(v);
        std::string replay = replay_command(v);
        fmt::format_to(std::back_inserter(out),
                       "<tr><td>{}</td><td>{}</td><td><a href=\"#{}\">{}</a> {}</td><td>{}</td><td class=\"{}\">{} <small>(expected "
                       "{})</small></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
                       m.number, esc(m.title), anchor(v.name, v.variant), esc(v.name), esc(v.variant), warn,
                       v.met ? "met" : "unmet", esc(to_string(v.shown.result)), esc(to_string(v.expected)),
                       esc(found.empty() ? std::string("-") : fmt::format("{}", fmt::join(found, ", "))),
                       esc(first_findings(v)), esc(replay), fixes);
      }
    }
  }
  out += "</tbody></table>\n";
}

/// The lanes of one failing execution.
void timeline_block(std::string& out, const lab_report& r, const variant_report& v) {
  const timeline& t = v.line;
  // Columns: history order, long executions cut in the middle (the gap is one column).
  std::vector<const timeline_event*> shown;
  std::size_t omitted = 0;
  if (t.events.size() <= max_columns) {
    for (const auto& e : t.events) shown.push_back(&e);
  } else {
    omitted = t.events.size() - max_columns;
    for (std::size_t i = 0; i < head_columns; ++i) shown.push_back(&t.events[i]);
    shown.push_back(nullptr);
    for (std::size_t i = t.events.size() - (max_columns - head_columns); i < t.events.size(); ++i) shown.push_back(&t.events[i]);
  }
  std::map<std::size_t, std::size_t> column_of;  // history position -> grid column
  for (std::size_t c = 0; c < shown.size(); ++c)
    if (shown[c]) column_of[shown[c]->seq] = c + 2;
  auto first_column_from = [&](std::size_t seq) -> std::size_t {
    auto it = column_of.lower_bound(seq);
    return it == column_of.end() ? shown.size() + 1 : it->second;
  };
  auto last_column_to = [&](std::size_t seq) -> std::size_t {
    auto it = column_of.upper_bound(seq);
    if (it == column_of.begin()) return 2;
    return std::prev(it)->second;
  };
  fmt::format_to(std::back_inserter(out), "<div class=\"timeline\" data-lanes=\"{}\" style=\"--cols: {}\">\n", t.lanes.size(),
                 shown.size());
  for (std::size_t lane = 0; lane < t.lanes.size(); ++lane) {
    fmt::format_to(std::back_inserter(out), "<div class=\"lane\" data-thread=\"{0}\"><div class=\"lane-head\" title=\"{0} {1}\">{0}</div>",
                   esc(t.lanes[lane]), esc(t.lane_notes[lane]));
    for (std::size_t c = 0; c < shown.size(); ++c) {
      const timeline_event* e = shown[c];
      if (!e) {
        if (lane == 0)
          fmt::format_to(std::back_inserter(out), "<div class=\"gap\" style=\"grid-column: {}\">{} events omitted</div>", c + 2, omitted);
        continue;
      }
      if (e->thread != lane) continue;
      std::string src = source_of(r, e->where);
      std::string info = fmt::format("step {} · {} · {} · {}{}", e->step, t.lanes[lane], e->label, e->where,
                                     e->key ? " · the finding points here" : e->after_finding ? " · after the finding" : "");
      fmt::format_to(std::back_inserter(out),
                     "<div class=\"ev cat-{}{}{}\" style=\"grid-column: {}\" data-step=\"{}\" data-where=\"{}\" data-src=\"{}\" "
                     "data-info=\"{}\" title=\"{}\"><span class=\"st\">{}</span>{}</div>",
                     esc(e->category), e->key ? " key" : "", e->after_finding ? " after" : "", c + 2, e->step, esc(e->where),
                     esc(src), esc(info), esc(src.empty() ? info : info + "\n" + src), e->step, esc(e->label));
    }
    // Bars: holds packed into as few rows as they need, then the waits' row.
    std::vector<std::size_t> row_end;  // per hold row, the last column used
    auto bar = [&](const timeline_span& s, std::string_view kind, std::size_t row) {
      std::size_t from = first_column_from(s.begin), to = std::max(from, last_column_to(s.end));
      std::string info = fmt::format("{} {} {}{}", t.lanes[lane], kind == "hold" ? "holds" : kind == "rf" ? "" : "waits:", s.what,
                                     s.open ? " (to the end of the execution)" : "");
      fmt::format_to(std::back_inserter(out),
                     "<div class=\"bar {}{}{}\" style=\"grid-column: {} / {}; grid-row: {}\" data-info=\"{}\" title=\"{}\">{}</div>",
                     kind, s.key ? " key" : "", s.open ? " open" : "", from, to + 1, row, esc(info), esc(info),
                     esc(kind == "wait" ? "waits: " + s.what : s.what));
      return to;
    };
    for (const auto& s : t.holds) {
      if (s.thread != lane) continue;
      std::size_t from = first_column_from(s.begin), row = 0;
      while (row < row_end.size() && row_end[row] >= from) ++row;
      if (row == row_end.size()) row_end.push_back(0);
      row_end[row] = bar(s, "hold", row + 2);
    }
    for (const auto& s : t.waits)
      if (s.thread == lane) bar(s, "wait", row_end.size() + 2);
    std::size_t rf_row = row_end.size() + 3;  // reads-from edges, one row each
    for (const auto& s : t.reads)
      if (s.thread == lane) bar(s, "rf", rf_row++);
    out += "</div>\n";
  }
  out += "</div>\n";
}

void variant_block(std::string& out, const lab_report& r, const variant_report& v) {
  bool broken = v.expected != verdict::clean;
  fmt::format_to(std::back_inserter(out), "<section class=\"variant\" id=\"{}\">\n<h3>{}: {}</h3>\n", anchor(v.name, v.variant),
                 esc(v.variant), broken ? "what goes wrong" : "the fix");
  fmt::format_to(std::back_inserter(out), "<p>{}. Expected <code>{}</code>; the lab found <code>{}</code> <span class=\"{}\">{}</span>.</p>\n",
                 esc(v.summary), esc(to_string(v.expected)), esc(to_string(v.shown.result)), v.met ? "met" : "unmet",
                 v.met ? "(as expected)" : "(NOT as expected)");
  out += "<table class=\"strategies\"><tr><th>strategy</th><th>result</th><th>executions</th><th>first finding</th><th>replayed</th></tr>\n";
  for (const auto& s : v.strategies) {
    if (!s.expected) {
      fmt::format_to(std::back_inserter(out), "<tr><td>{}</td><td colspan=\"4\">not expected to find it: {}</td></tr>\n", esc(s.strategy),
                     esc(s.why_not));
      continue;
    }
    if (!s.needed) {
      fmt::format_to(std::back_inserter(out), "<tr><td>{}</td><td colspan=\"4\">not needed: dpor verified every class</td></tr>\n",
                     esc(s.strategy));
      continue;
    }
    fmt::format_to(std::back_inserter(out), "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(s.strategy),
                   esc(s.coverage.empty() || s.coverage.starts_with("clean") ? std::string(to_string(s.result))
                                                                           : std::string(to_string(s.result)) + ", " + s.coverage), s.executions, s.first ? fmt::format("execution {}", *s.first) : "-",
                   s.first ? (s.reproduced ? "yes" : "no") : "-");
  }
  out += "</table>\n";
  if (!v.shown.findings.empty()) {
    const finding& f = v.shown.findings.front();
    fmt::format_to(std::back_inserter(out), "<p><strong>{}</strong>: {}</p>\n", esc(title(f.kind)), esc(f.message));
    out += "<p class=\"legend\">Lanes are threads; columns are the order things happened. "
           "<span class=\"ev key\">the finding</span><span class=\"bar hold\">holds a mutex</span>"
           "<span class=\"bar wait\">waits</span><span class=\"bar key\">a wait of the finding</span>"
           "<span class=\"bar rf\">a stale read: from the store it read to the load</span></p>\n";
    timeline_block(out, r, v);
  }
  if (!v.detectors.empty()) {
    out += "<table class=\"detectors\"><tr><th>detector</th><th>result</th></tr>\n";
    for (const auto& c : v.detectors)
      fmt::format_to(std::back_inserter(out), "<tr><td>{}</td><td>{}</td></tr>\n", esc(c.detector), esc(cell_text(c)));
    out += "</table>\n";
  }
  fmt::format_to(std::back_inserter(out), "<details{}><summary>The text report</summary><pre>{}</pre></details>\n",
                 broken ? "" : " open", esc(v.text));
  std::string replay = replay_command(v);
  if (!replay.empty()) fmt::format_to(std::back_inserter(out), "<p>Replay: <code>{}</code></p>\n", esc(replay));
  out += "</section>\n";
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_html(const lab_report& r) {
  std::string out = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                    "script-src 'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>conlab report</title>\n<style>";
  out += style;
  out += "</style></head>\n<body>\n<h1>conlab report</h1>\n";
  fmt::format_to(std::back_inserter(out),
                 "<p>Every failure mode the source documents warn about, the scenarios that show it, and what the lab found. "
                 "Deterministic harness: dpor first, verified where it explores every interleaving class; otherwise random "
                 "and PCT too; {} executions per strategy and variant, seed {}.{}</p>\n",
                 r.schedules, r.seed,
                 r.comparison_note.empty() ? std::string() : " Detector comparison: " + esc(r.comparison_note) + ".");
  if (r.interrupted) out += "<p class=\"unmet\">Interrupted: the variants after the last one shown were not run.</p>\n";
  index_table(out, r);
  for (const auto& s : r.scenarios) {
    fmt::format_to(std::back_inserter(out), "<section class=\"scenario\" id=\"{}\">\n<h2>{}</h2>\n", esc(s.name), esc(s.name));
    fmt::format_to(std::back_inserter(out), "<p>Failure mode {}: <strong>{}</strong>. README: <code>{}</code>.</p>\n", s.mode_number,
                   esc(s.failure_mode), esc(s.readme));
    for (const auto& m : r.modes)
      if (m.number == s.mode_number)
        for (const auto& w : m.warnings)
          fmt::format_to(std::back_inserter(out), "<blockquote>&ldquo;{}&rdquo; <small>({})</small></blockquote>\n", esc(w.quote),
                         esc(w.document));
    for (const auto& v : s.variants) variant_block(out, r, v);
    out += "</section>\n";
  }
  out += "<aside id=\"detail\">Point at an event of a timeline: its step, thread, source line.</aside>\n<script>";
  out += script;
  out += "</script>\n</body></html>\n";
  return out;
}

}  // namespace lab::reports
