#include "harness/core/options.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace lab {
namespace option_table {

std::string flag_of(std::string_view member) {
  std::string s(member);
  for (char& c : s)
    if (c == '_') c = '-';
  return s;
}

bool same_flag(std::string_view flag, std::string_view member) {
  if (flag.size() != member.size()) return false;
  for (std::size_t i = 0; i < flag.size(); ++i) {
    char a = flag[i] == '-' ? '_' : flag[i];
    if (a != member[i]) return false;
  }
  return true;
}

std::optional<std::string> parse(std::string& out, std::string_view flag, std::string_view text,
                                 std::string_view choices) {
  if (!choices.empty()) {
    std::string_view rest = choices;
    bool ok = false;
    while (!rest.empty()) {
      auto bar = rest.find('|');
      if (rest.substr(0, bar) == text) ok = true;
      rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    if (!ok) return fmt::format("--{}: '{}' is not one of {}", flag, text, choices);
  }
  out = std::string(text);
  return std::nullopt;
}

std::optional<std::string> parse(std::uint64_t& out, std::string_view flag, std::string_view text, std::string_view) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return fmt::format("--{}: '{}' is not a non-negative whole number", flag, text);
  out = v;
  return std::nullopt;
}

std::optional<std::string> parse(double& out, std::string_view flag, std::string_view text, std::string_view) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) || v < 0)
    return fmt::format("--{}: '{}' is not a non-negative number", flag, text);
  out = v;
  return std::nullopt;
}

std::string help_line(std::string_view member, std::string_view help, std::string_view default_text,
                      std::string_view choices) {
  std::string tail;
  if (!default_text.empty()) tail = fmt::format("default: {}", default_text);
  if (!choices.empty()) tail += fmt::format("{}one of {}", tail.empty() ? "" : "; ", choices);
  return fmt::format("  --{:<14} {}{}\n", flag_of(member), help, tail.empty() ? "" : " (" + tail + ")");
}

}  // namespace option_table

std::optional<std::string> set_option(options& opts, std::string_view flag, std::string_view value) {
#define CONLAB_OPTION(type, name, def, choices, help) \
  if (option_table::same_flag(flag, #name)) return option_table::parse(opts.name, option_table::flag_of(#name), value, choices);
#include "harness/core/options.inc"
#undef CONLAB_OPTION
  return fmt::format("unknown option --{}", flag);
}

bool is_option(std::string_view flag) {
#define CONLAB_OPTION(type, name, def, choices, help) \
  if (option_table::same_flag(flag, #name)) return true;
#include "harness/core/options.inc"
#undef CONLAB_OPTION
  return false;
}

std::string options_help() {
  std::string out;
#define CONLAB_OPTION(type, name, def, choices, help) \
  out += option_table::help_line(#name, help, fmt::format("{}", def), choices);
#include "harness/core/options.inc"
#undef CONLAB_OPTION
  return out;
}

}  // namespace lab
