// GoogleTest integration: explore concurrent code inside a test, fail with the report.
//
//   #include "harness/gtest/model.h"
//   TEST(Counter, ConcurrentIncrements) {
//     lab::model([] {
//       lab::shared<int> n{0, "n"};
//       lab::mutex m;
//       lab::thread a([&] { lab::lock_guard g(m); n = n + 1; });
//       lab::thread b([&] { lab::lock_guard g(m); n = n + 1; });
//       a.join(); b.join();
//       lab::assert_that(n == 2, "n == 2");
//     });  // dpor first: verified when every interleaving class was explored
//   }
//
// On a finding the test fails with the full text report, ending with the line that replays it:
//   Replay: CONLAB_REPLAY=conlab1:... ./my_tests --gtest_filter=Counter.ConcurrentIncrements
// Run that line and the same lab::model call replays exactly that execution instead of exploring
// (a token for another test is ignored). With CONLAB_REPORT_DIR=DIR in the environment, each
// failing model also writes DIR/Suite.Name.{txt,json,sarif,html} - for CI artifacts.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <source_location>
#include <string>

#include "harness/explore/explorer.h"
#include "harness/lab.h"
#include "reports/html.h"
#include "reports/json.h"
#include "reports/lab_report.h"
#include "reports/sarif.h"
#include "reports/text.h"

namespace lab {
namespace detail {
inline std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return info ? std::string(info->test_suite_name()) + "." + info->name() : std::string("test");
}

/// Explores `body` under the running test's name - or, when CONLAB_REPLAY holds a token of this
/// very test, replays that execution. Sets the report's replay line to the command that does.
inline run_report explore_in_test(const body_fn& body, const options& opts) {
  const std::string name = current_test_name();
  run_report r;
  bool replayed = false;
  if (const char* env = std::getenv("CONLAB_REPLAY"); env && *env) {
    std::string error;
    if (auto token = decode_token(env, error); token && token->scenario == name) {
      r = replay(*token, body, opts);
      replayed = true;
    }
  }
  if (!replayed) r = explore(name, body, opts);
  if (!r.replay.empty()) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    r.replay_command = "CONLAB_REPLAY=" + r.replay + " " + (ec ? std::string("./tests") : self.string()) +
                       " --gtest_filter=" + name;
  }
  return r;
}

/// With CONLAB_REPORT_DIR set, writes the failing report there as text, JSON, SARIF and HTML.
inline void write_report_files(const run_report& r) {
  const char* dir = std::getenv("CONLAB_REPORT_DIR");
  if (!dir || !*dir) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  reports::lab_report lab;
  reports::variant_report v{.name = r.scenario, .variant = "", .summary = r.note, .expected = verdict::clean};
  v.met = false;
  v.shown = r;
  v.text = reports::render_text(r);
  v.line = reports::build_timeline(r);
  lab.scenarios.push_back({.name = r.scenario, .failure_mode = "", .readme = "", .mode_number = 0, .variants = {v}});
  auto base = std::filesystem::path(dir) / r.scenario;
  for (auto [ext, text] : {std::pair{".txt", v.text}, std::pair{".json", reports::render_json(r)},
                           std::pair{".sarif", reports::render_sarif(lab)}, std::pair{".html", reports::render_html(lab)}})
    std::ofstream(base.string() + ext, std::ios::binary) << text;
}

inline std::string verdict_list(std::initializer_list<verdict> vs) {
  std::string out;
  for (verdict v : vs) out += (out.empty() ? "" : " or ") + std::string(to_string(v));
  return out;
}
}  // namespace detail

/// Explores `body` (as loom::model and shuttle::check_random do) and adds a test failure, at the
/// caller's line, with the report of the first finding. Returns the report either way. Without
/// options it runs the "auto" plan: dpor first, so that a program whose interleavings are finite
/// is verified (r.stats.exhaustive), and random and pct after it when dpor does not end within
/// the budget. Options name their strategy (`.strategy = "auto"` keeps the plan; a default-made
/// lab::options means random, as lab::explore).
inline run_report model(const body_fn& body, const options& opts = options{.strategy = "auto"},
                        std::source_location loc = std::source_location::current()) {
  run_report r = detail::explore_in_test(body, opts);
  if (r.result != verdict::clean) {
    detail::write_report_files(r);
    ADD_FAILURE_AT(loc.file_name(), static_cast<int>(loc.line())) << reports::render_text(r);
  } else if (r.interrupted) {
    ADD_FAILURE_AT(loc.file_name(), static_cast<int>(loc.line())) << "the exploration was interrupted: " << r.note;
  }
  return r;
}

/// Explores `body` and adds a test failure unless the first finding is one of `expected` and
/// replays; for tests that show a detector fires on a bug (`{verdict::clean}`: that it stays
/// quiet).
inline run_report expect_verdict(std::initializer_list<verdict> expected, const body_fn& body, const options& opts = {},
                                 std::source_location loc = std::source_location::current()) {
  run_report r = detail::explore_in_test(body, opts);
  bool hit = false;
  for (verdict v : expected) hit = hit || r.result == v;
  if (!hit || (r.result != verdict::clean && !r.reproduced)) {
    detail::write_report_files(r);
    ADD_FAILURE_AT(loc.file_name(), static_cast<int>(loc.line()))
        << "expected " << detail::verdict_list(expected) << ", got " << to_string(r.result) << "\n"
        << reports::render_text(r);
  }
  return r;
}
inline run_report expect_verdict(verdict expected, const body_fn& body, const options& opts = {},
                                 std::source_location loc = std::source_location::current()) {
  return expect_verdict({expected}, body, opts, loc);
}

/// Re-runs the execution a failing model() printed. Fails the test if the token is malformed or
/// does not fit `body`.
inline run_report replay_model(std::string_view token, const body_fn& body, const options& opts = {},
                               std::source_location loc = std::source_location::current()) {
  std::string error;
  auto t = decode_token(token, error);
  if (!t) {
    ADD_FAILURE_AT(loc.file_name(), static_cast<int>(loc.line())) << error;
    return {};
  }
  run_report r = replay(*t, body, opts);
  if (!r.reproduced) ADD_FAILURE_AT(loc.file_name(), static_cast<int>(loc.line())) << r.note;
  return r;
}

}  // namespace lab
