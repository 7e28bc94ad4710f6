#include "reports/html.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "sanitizers/supervisor.h"
#include "tests/support/lab_report.h"

namespace lab {
namespace html_test {

using test::catalog_report;

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

/// The part of `html` from the timeline of section `id` to the end of that timeline.
std::string timeline_of(const std::string& html, const std::string& id) {
  auto section = html.find("id=\"" + id + "\"");
  if (section == std::string::npos) return {};
  auto begin = html.find("<div class=\"timeline\"", section);
  auto end = html.find("</section>", section);
  if (begin == std::string::npos || begin > end) return {};
  return html.substr(begin, end - begin);
}

// Issue 6: one lane per thread of the failing execution, for every variant with a finding.
TEST(HtmlReport, EveryTimelineHasOneLanePerThread) {
  const auto& r = catalog_report();
  std::string html = reports::render_html(r);
  int timelines = 0;
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants) {
      std::string t = timeline_of(html, v.name + "-" + v.variant);
      if (v.shown.findings.empty()) {
        EXPECT_TRUE(t.empty()) << v.full_name() << ": a clean variant has no timeline";
        continue;
      }
      ++timelines;
      ASSERT_FALSE(t.empty()) << v.full_name();
      EXPECT_EQ(count(t, "<div class=\"lane\""), v.shown.threads.size()) << v.full_name();
      EXPECT_GE(count(t, " key\""), 1u) << v.full_name() << ": the finding is highlighted";
    }
  EXPECT_EQ(count(html, "<div class=\"timeline\""), static_cast<std::size_t>(timelines));
}

TEST(HtmlReport, TheRacingAccessesAndTheCycleAreHighlighted) {
  std::string html = reports::render_html(catalog_report());
  std::string race = timeline_of(html, "lost_update-broken");
  EXPECT_EQ(count(race, "<div class=\"ev cat-access key\""), 2u) << "the write and the read it races with";
  std::string cycle = timeline_of(html, "lock_order_inversion-broken");
  EXPECT_EQ(count(cycle, "class=\"bar wait key open\""), 2u) << "both waits of the cycle, never ending";
  EXPECT_NE(cycle.find("scenarios/lock_order_inversion/exercise.cpp:"), std::string::npos);
}

TEST(HtmlReport, SourceLinesAreThereOnHover) {
  std::string html = reports::render_html(catalog_report());
  std::string race = timeline_of(html, "lost_update-broken");
  EXPECT_NE(race.find("data-where=\"scenarios/lost_update/exercise.cpp:7\" data-src=\"auto increment = [&amp;] { x = x + 1; };\""),
            std::string::npos)
      << "line 7 of lost_update's exercise.cpp, the racing increment";
}

TEST(HtmlReport, SelfContained) {
  std::string html = reports::render_html(catalog_report());
  EXPECT_EQ(count(html, " src="), 0u);
  EXPECT_EQ(count(html, "<link"), 0u);
  EXPECT_EQ(count(html, "@import"), 0u);
  EXPECT_EQ(count(html, "url("), 0u);
  EXPECT_EQ(count(html, "href=\"http"), 0u);
  EXPECT_EQ(count(html, "<script"), 1u) << "one inline script, ours";
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
}

// Everything that comes from the model - names, messages, summaries, source text - is escaped.
TEST(HtmlReport, EscapesEverythingUserControlled) {
  const std::string evil = "<script>alert('x')</script>\"&";
  reports::lab_report r;
  r.schedules = 1;
  r.comparison_note = evil;
  r.modes.push_back({1, evil, evil, {{evil, evil}}, {evil}, ""});
  r.modes.push_back({2, evil, evil, {{evil, evil}}, {}, evil});
  reports::variant_report v{.name = evil, .variant = evil, .summary = evil, .expected = verdict::data_race, .met = false};
  v.strategies.push_back({.strategy = evil, .expected = false, .why_not = evil});
  v.shown.scenario = evil;
  v.shown.result = verdict::data_race;
  v.shown.replay = evil;
  v.shown.findings.push_back({.kind = verdict::data_race, .message = evil});
  v.shown.threads.push_back({});
  v.text = evil;
  v.line.lanes = {evil};
  v.line.lane_notes = {evil};
  v.line.events.push_back({.seq = 0, .thread = thread_id{0}, .step = 1, .op = evil, .label = evil, .category = evil, .where = evil, .key = true});
  v.line.holds.push_back({thread_id{0}, evil, 0, 0, true, false});
  v.line.waits.push_back({thread_id{0}, evil, 0, 0, false, true});
  v.detectors.push_back({.detector = evil, .why_not = evil, .title = evil});
  r.scenarios.push_back({evil, evil, evil, 1, {v}});
  r.sources[evil] = evil;
  std::string html = reports::render_html(r);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("alert('x')"), std::string::npos) << "quotes escaped too";
  EXPECT_EQ(count(html, "<script"), 1u);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"), std::string::npos);
}

TEST(HtmlReport, EscapeFunction) {
  EXPECT_EQ(reports::html_escape("a<b>&\"'c"), "a&lt;b&gt;&amp;&quot;&#39;c");
  EXPECT_EQ(reports::html_escape(""), "");
}

// --- The real thing: Debian's chromium, headless (installed by .ci/deps). ---

std::string chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (::access(p, X_OK) == 0) return p;
  return {};
}

child_outcome run_chromium(const std::filesystem::path& profile, std::vector<std::string> args) {
  std::vector<std::string> argv = {chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                   "--no-first-run", "--enable-logging=stderr", "--v=0",
                                   "--user-data-dir=" + profile.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_child(argv, 120.0, false);
}

/// Width and height from a PNG's IHDR chunk; {0, 0} when `bytes` is not a PNG.
std::pair<unsigned, unsigned> png_size(const std::string& bytes) {
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0) return {0, 0};
  auto be32 = [&](std::size_t at) {
    unsigned v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

std::string console_lines(const std::string& log) {
  std::string out;
  std::size_t at = 0;
  while ((at = log.find(":CONSOLE", at)) != std::string::npos) {
    auto begin = log.rfind('\n', at), end = log.find('\n', at);
    out += log.substr(begin == std::string::npos ? 0 : begin + 1, end - (begin == std::string::npos ? 0 : begin + 1)) + "\n";
    at = end;
  }
  return out;
}

TEST(HtmlReport, RendersInHeadlessChromium) {
  ASSERT_FALSE(chromium().empty()) << "chromium is not installed (bash .ci/deps installs it)";
  auto dir = test::fresh_folder("html");
  const auto& r = catalog_report();
  std::ofstream(dir / "report.html") << reports::render_html(r);

  // The whole catalog: the script ran to its end, and the browser's DOM has one lane per thread.
  auto dom = run_chromium(dir / "profile", {"--dump-dom", "file://" + (dir / "report.html").string()});
  ASSERT_FALSE(dom.timed_out);
  std::size_t timelines = 0, lanes = 0;
  for (const auto& s : r.scenarios)
    for (const auto& v : s.variants)
      if (!v.shown.findings.empty()) ++timelines, lanes += v.shown.threads.size();
  EXPECT_NE(dom.output.find("data-ready=\"" + std::to_string(timelines) + "\""), std::string::npos)
      << "the inline script did not finish\n" << dom.output.substr(0, 2000);
  EXPECT_EQ(count(dom.output, "<div class=\"lane\""), lanes);
  EXPECT_EQ(console_lines(dom.output), "") << "no console messages: no errors, no blocked loads";

  // A screenshot of one scenario's page: the timeline is on it.
  reports::lab_report one = r;
  std::erase_if(one.scenarios, [](const reports::scenario_report& s) { return s.name != "lock_order_inversion"; });
  std::ofstream(dir / "one.html") << reports::render_html(one);
  auto shot = run_chromium(dir / "profile", {"--window-size=1400,1200", "--screenshot=" + (dir / "shot.png").string(),
                                             "file://" + (dir / "one.html").string()});
  ASSERT_FALSE(shot.timed_out);
  EXPECT_EQ(console_lines(shot.output), "");
  std::ifstream png(dir / "shot.png", std::ios::binary);
  ASSERT_TRUE(png) << "no screenshot\n" << shot.output;
  std::string bytes((std::istreambuf_iterator<char>(png)), std::istreambuf_iterator<char>());
  auto [w, h] = png_size(bytes);
  EXPECT_EQ(w, 1400u);
  EXPECT_EQ(h, 1200u);
  EXPECT_GT(bytes.size(), 40'000u) << "a blank page compresses to a few kB";
  if (std::getenv("CONLAB_KEEP_SCREENSHOT") == nullptr) std::filesystem::remove_all(dir);
}

}  // namespace html_test
}  // namespace lab
