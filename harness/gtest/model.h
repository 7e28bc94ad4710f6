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
//     }, {.strategy = "pct", .schedules = 10000});
//   }
//
// On a finding the test fails with the full text report, ending with the replay line; paste the
// token into lab::replay_model (or `conlab replay` for catalog scenarios) to re-run exactly it.
#pragma once

#include <gtest/gtest.h>

#include <source_location>
#include <string>

#include "harness/lab.h"
#include "harness/explore/explorer.h"
#include "reports/text.h"

namespace lab {
namespace detail {
inline std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return info ? std::string(info->test_suite_name()) + "." + info->name() : std::string("test");
}
}  // namespace detail

/// Explores `body` (as loom::model and shuttle::check_random do) and adds a test failure, at the
/// caller's line, with the report of the first finding. Returns the report either way.
inline run_report model(const body_fn& body, const options& opts = {},
                        std::source_location loc = std::source_location::current()) {
  run_report r = explore(detail::current_test_name(), body, opts);
  if (r.result != verdict::clean)
    ADD_FAILURE_AT(loc.file_name(), static_cast<int>(loc.line())) << reports::render_text(r);
  return r;
}

/// Explores `body` and adds a test failure unless the first finding is `expected` and replays;
/// for tests that show a detector fires on a bug.
inline run_report expect_verdict(verdict expected, const body_fn& body, const options& opts = {},
                                 std::source_location loc = std::source_location::current()) {
  run_report r = explore(detail::current_test_name(), body, opts);
  if (r.result != expected || (expected != verdict::clean && !r.reproduced))
    ADD_FAILURE_AT(loc.file_name(), static_cast<int>(loc.line()))
        << "expected " << to_string(expected) << ", got " << to_string(r.result) << "\n"
        << reports::render_text(r);
  return r;
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
