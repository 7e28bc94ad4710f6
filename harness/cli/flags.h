// The CLI's own flags (flags.inc), beside the exploration options every command takes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lab::cli {

/// Every flag of flags.inc with its default.
struct flags {
#define CONLAB_FLAG(type, name, def, choices, help) type name = def;
#include "harness/cli/flags.inc"
#undef CONLAB_FLAG
};

/// As lab::set_option, for the CLI's flags.
std::optional<std::string> set_flag(flags& f, std::string_view flag, std::string_view value);
bool is_flag(std::string_view flag);
/// One help line per flag.
std::string flags_help();
/// The help line of the flag `member` alone (empty when there is none).
std::string flag_help(std::string_view member);

}  // namespace lab::cli
