#include "harness/core/options.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <utility>

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

namespace {

struct range {
  bool zero_ok = false;  ///< 0 is allowed besides [lo, hi]
  double lo = 0, hi = 0;
  bool any = true;       ///< no range: any non-negative finite value
};

range parse_range(std::string_view allowed) {
  range r;
  if (allowed.empty()) return r;
  r.any = false;
  if (allowed.starts_with("0|")) {
    r.zero_ok = true;
    allowed.remove_prefix(2);
  }
  auto dots = allowed.find("..");
  std::string lo(allowed.substr(0, dots)), hi(allowed.substr(dots + 2));
  r.lo = std::strtod(lo.c_str(), nullptr);
  r.hi = std::strtod(hi.c_str(), nullptr);
  return r;
}

bool in(const range& r, double v) { return r.any || (r.zero_ok && v == 0) || (v >= r.lo && v <= r.hi); }

}  // namespace

// A bound as the table writes it: 1000, 1e9, 1e-6 (not 1e+09 or 1e-06).
std::string bound(double v) {
  std::string s = fmt::format("{:g}", v);
  for (auto [from, to] : {std::pair{"e+0", "e"}, std::pair{"e+", "e"}, std::pair{"e-0", "e-"}})
    if (auto at = s.find(from); at != std::string::npos) s.replace(at, std::string_view(from).size(), to);
  return s;
}

std::string describe_allowed(std::string_view allowed, bool numeric) {
  if (allowed.empty()) return numeric ? "a non-negative number" : "any value";
  if (!numeric) return fmt::format("one of {}", allowed);
  range r = parse_range(allowed);
  return fmt::format("{}{} to {}", r.zero_ok ? "0 (off), or " : "", bound(r.lo), bound(r.hi));
}

std::optional<std::string> parse(std::string& out, std::string_view flag, std::string_view text,
                                 std::string_view allowed) {
  if (allowed == "I/N") {  // a slice: "" (none) or I/N with 1 <= I <= N
    if (!text.empty() && !parse_shard(text))
      return fmt::format("--{}: '{}' is not I/N with 1 <= I <= N <= 1000000 (as 2/4)", flag, text);
    out = std::string(text);
    return std::nullopt;
  }
  if (!allowed.empty()) {
    std::string_view rest = allowed;
    bool ok = false;
    while (!rest.empty()) {
      auto bar = rest.find('|');
      if (rest.substr(0, bar) == text) ok = true;
      rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    if (!ok) return fmt::format("--{}: '{}' is not one of {}", flag, text, allowed);
  }
  out = std::string(text);
  return std::nullopt;
}

std::optional<std::string> parse(std::uint64_t& out, std::string_view flag, std::string_view text,
                                 std::string_view allowed) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return fmt::format("--{}: '{}' is not a whole number ({})", flag, text, describe_allowed(allowed, true));
  if (!in(parse_range(allowed), static_cast<double>(v)))
    return fmt::format("--{}: {} is out of range ({})", flag, text, describe_allowed(allowed, true));
  out = v;
  return std::nullopt;
}

std::optional<std::string> parse(double& out, std::string_view flag, std::string_view text, std::string_view allowed) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) || v < 0)
    return fmt::format("--{}: '{}' is not a non-negative number ({})", flag, text, describe_allowed(allowed, true));
  if (!in(parse_range(allowed), v))
    return fmt::format("--{}: {} is out of range ({})", flag, text, describe_allowed(allowed, true));
  out = v;
  return std::nullopt;
}

std::string help_line(std::string_view member, std::string_view help, std::string_view default_text,
                      std::string_view allowed, bool numeric) {
  std::string tail;
  if (!default_text.empty()) tail = fmt::format("default: {}", default_text);
  if (!allowed.empty()) tail += fmt::format("{}{}", tail.empty() ? "" : "; ", describe_allowed(allowed, numeric));
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

std::string option_help(std::string_view member) {
#define CONLAB_OPTION(type, name, def, choices, help) \
  if (member == #name) return option_table::help_line(#name, help, fmt::format("{}", def), choices, option_table::is_numeric<type>);
#include "harness/core/options.inc"
#undef CONLAB_OPTION
  return {};
}

namespace {
template <class T>
std::optional<std::string> check_one(const T& value, std::string_view member, std::string_view allowed) {
  if constexpr (option_table::is_numeric<T>) {
    T copy{};
    std::string text = fmt::format("{}", value);
    if (auto err = option_table::parse(copy, option_table::flag_of(member), text, allowed))
      return fmt::format("lab::options.{}: {}", member, *err);
  }
  return std::nullopt;
}
}  // namespace

std::optional<shard_slice> parse_shard(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<std::uint64_t> {
    if (s.empty() || s.size() > 7 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    return std::stoull(std::string(s));
  };
  auto i = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!i || !n || *i < 1 || *i > *n || *n > 1000000) return std::nullopt;
  return shard_slice{*i - 1, *n};
}

std::optional<std::string> check_options(const options& opts) {
  if (!opts.shard.empty() && !parse_shard(opts.shard))
    return fmt::format("lab::options.shard: '{}' is not I/N with 1 <= I <= N <= 1000000", opts.shard);
#define CONLAB_OPTION(type, name, def, choices, help) \
  if (auto err = check_one(opts.name, #name, choices)) return err;
#include "harness/core/options.inc"
#undef CONLAB_OPTION
  return std::nullopt;
}

std::string options_help() {
  std::string out;
#define CONLAB_OPTION(type, name, def, choices, help) \
  out += option_table::help_line(#name, help, fmt::format("{}", def), choices, option_table::is_numeric<type>);
#include "harness/core/options.inc"
#undef CONLAB_OPTION
  return out;
}

}  // namespace lab
