// Exploration options: one struct generated from options.inc, with its parser and help text, and
// the typed-value parsing every option table shares (the CLI's own flags use it too).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

/// The pieces an option table is generated from (options.inc here, the CLI's flags.inc).
namespace option_table {
/// "max-steps" for the member "max_steps".
std::string flag_of(std::string_view member);
/// True when `flag` ("max-steps" or "max_steps") names `member`.
bool same_flag(std::string_view flag, std::string_view member);
/// Parses `text` into `out`; nullopt on success, else one line naming `--flag`. Strings must be
/// one of `choices` ('|'-separated) unless it is empty; numbers are non-negative and finite.
std::optional<std::string> parse(std::string& out, std::string_view flag, std::string_view text, std::string_view choices);
std::optional<std::string> parse(std::uint64_t& out, std::string_view flag, std::string_view text, std::string_view choices);
std::optional<std::string> parse(double& out, std::string_view flag, std::string_view text, std::string_view choices);
/// One line of help: "  --flag  help (default: D; one of ...)".
std::string help_line(std::string_view member, std::string_view help, std::string_view default_text,
                      std::string_view choices);
}  // namespace option_table

}  // namespace lab
