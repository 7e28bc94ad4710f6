// Exploration options: one struct generated from options.inc, with its parser and help text.
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

}  // namespace lab
