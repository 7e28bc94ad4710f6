// Exploration options: one struct generated from options.inc, with its parser and help text, and
// the typed-value parsing every option table shares (the CLI's own flags use it too).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace lab {

/// Every knob of an exploration, with its default. An aggregate, so a test can write
/// `lab::options{.strategy = "pct", .schedules = 10000}`.
struct options {
#define CONLAB_OPTION(type, name, def, choices, help) type name = def;
#include "harness/core/options.inc"
#undef CONLAB_OPTION
};

/// Sets option `flag` (as written on the command line, without the leading "--", '-' or '_')
/// from its text. Returns an error message (one line, no trailing newline) when the flag is
/// unknown or the value does not parse or is not one of the allowed choices.
std::optional<std::string> set_option(options& opts, std::string_view flag, std::string_view value);

/// True if `flag` names an option of the table.
bool is_option(std::string_view flag);

/// "  --name VALUE   help (default: D)" for every option, one per line.
std::string options_help();
/// The help line of the option `member` alone (empty when there is none).
std::string option_help(std::string_view member);
/// One slice of an exploration split between machines (--shard I/N): 0-based `index` < `count`.
struct shard_slice {
  std::uint64_t index = 0, count = 1;
};
/// "2/4" -> {1, 4}; nullopt unless 1 <= I <= N <= 1000000.
std::optional<shard_slice> parse_shard(std::string_view text);

/// One line (no newline) saying what is wrong with `opts`, or nullopt: every number within the
/// range of its row of options.inc (for options set in code, as `lab::explore` takes them).
std::optional<std::string> check_options(const options& opts);

/// The pieces an option table is generated from (options.inc here, the CLI's flags.inc).
namespace option_table {
/// "max-steps" for the member "max_steps".
std::string flag_of(std::string_view member);
/// True when `flag` ("max-steps" or "max_steps") names `member`.
bool same_flag(std::string_view flag, std::string_view member);
/// Parses `text` into `out`; nullopt on success, else one line naming `--flag` and what is
/// allowed. Strings must be one of `allowed` ('|'-separated) unless it is empty; numbers must be
/// in the range `allowed` ("LO..HI", or "0|LO..HI" when 0 is allowed besides; "" for any
/// non-negative value), and finite.
std::optional<std::string> parse(std::string& out, std::string_view flag, std::string_view text, std::string_view allowed);
std::optional<std::string> parse(std::uint64_t& out, std::string_view flag, std::string_view text, std::string_view allowed);
std::optional<std::string> parse(double& out, std::string_view flag, std::string_view text, std::string_view allowed);
/// What `allowed` admits, in words: "one of a|b", "1 to 10000", "0, or 1e-06 to 1e+09".
std::string describe_allowed(std::string_view allowed, bool numeric);
/// One line of help: "  --flag  help (default: D; allowed)".
std::string help_line(std::string_view member, std::string_view help, std::string_view default_text,
                      std::string_view allowed, bool numeric);
/// True for the numeric types of a table.
template <class T>
constexpr bool is_numeric = !std::is_same_v<T, std::string>;
}  // namespace option_table

}  // namespace lab
