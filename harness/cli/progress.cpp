#include "harness/cli/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>


namespace lab::cli {
namespace {

std::string duration_text(double s) {
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 5400) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

double fraction(const progress_update& u) {
  if (u.finished || u.budget == 0) return u.finished ? 1.0 : 0.0;
  return std::min(1.0, static_cast<double>(u.done) / static_cast<double>(u.budget));
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

std::string format_progress(const progress_state& s, double command_elapsed_s) {
  const progress_update* u = s.current ? &*s.current : nullptr;
  double part = u && !u->finished ? fraction(*u) : 0.0;
  std::size_t units = std::max<std::size_t>(s.units, 1);
  double done = std::min(static_cast<double>(units), static_cast<double>(s.finished) + part);
  std::string eta = done > 0 ? fmt::format("~{} to go", duration_text(command_elapsed_s *
                                                                        (static_cast<double>(units) - done) / done))
                             : std::string("estimating");
  std::string line;
  if (units > 1 || s.command != "run") {
    std::string_view what = s.command == "compare" ? "cells" : "explorations";
    line = fmt::format("{}: {} of {} {}, {} finding{}, {}", s.command, s.finished, units, what, s.findings,
                       s.findings == 1 ? "" : "s", eta);
  }
  if (u && !u->finished) {
    double rate = u->elapsed_s > 0 ? static_cast<double>(u->done) / u->elapsed_s : 0;
    line += fmt::format("{}{} ({}) {} of {} executions, {:.0f}/s", line.empty() ? "" : " | ", printable(u->name),
                        printable(u->strategy), u->done, u->budget, rate);
    if (line.find(" | ") == std::string::npos) line += ", " + eta;
  }
  return line;
}

progress_line::progress_line(std::FILE* err, std::string command, std::size_t units, bool count_explorations)
    : err_(err), count_explorations_(count_explorations) {
  state_.command = std::move(command);
  state_.units = units;
  set_progress([this](const progress_update& u) { on_update(u); });
}

progress_line::~progress_line() {
  set_progress({});
  std::lock_guard g(m_);
  fmt::print(err_, "\r\x1b[K");
  std::fflush(err_);
}

void progress_line::on_update(const progress_update& u) {
  std::lock_guard g(m_);
  if (u.finished && count_explorations_) {
    ++state_.finished;
    if (u.result != verdict::clean) ++state_.findings;
  }
  state_.current = u;
  state_.current->name = {};  // the views die with the call: keep only what is drawn now
  state_.current->strategy = {};
  progress_state now = state_;
  now.current = u;
  std::string text = format_progress(now, std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  fmt::print(err_, "\r\x1b[K{}", text);
  std::fflush(err_);
  if (u.finished) state_.current.reset();
}

void progress_line::drop_units(std::size_t n) {
  std::lock_guard g(m_);
  state_.units = std::max({state_.finished, state_.units > n ? state_.units - n : std::size_t{1}, std::size_t{1}});
}

void progress_line::unit_done(bool finding) {
  std::lock_guard g(m_);
  ++state_.finished;
  if (finding) ++state_.findings;
  draw_locked();
}

void progress_line::print_above(const std::string& text) {
  std::lock_guard g(m_);
  fmt::print(err_, "\r\x1b[K{}", text);
  draw_locked();
}

void progress_line::wipe() {
  std::lock_guard g(m_);
  fmt::print(err_, "\r\x1b[K");
  std::fflush(err_);
}

void progress_line::redraw() {
  std::lock_guard g(m_);
  draw_locked();
}

void progress_line::draw_locked() {
  progress_state now = state_;
  now.current.reset();  // its name is gone; the next update from the explorer brings it back
  std::string text = format_progress(now, std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  fmt::print(err_, "\r\x1b[K{}", text);
  std::fflush(err_);
}

}  // namespace lab::cli
