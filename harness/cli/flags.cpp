#include "harness/cli/flags.h"

#include <fmt/format.h>

#include "harness/core/options.h"

namespace lab::cli {

std::optional<std::string> set_flag(flags& f, std::string_view flag, std::string_view value) {
#define CONLAB_FLAG(type, name, def, choices, help)  \
  if (option_table::same_flag(flag, #name))         \
    return option_table::parse(f.name, option_table::flag_of(#name), value, choices);
#include "harness/cli/flags.inc"
#undef CONLAB_FLAG
  return fmt::format("unknown option --{}", flag);
}

bool is_flag(std::string_view flag) {
#define CONLAB_FLAG(type, name, def, choices, help) \
  if (option_table::same_flag(flag, #name)) return true;
#include "harness/cli/flags.inc"
#undef CONLAB_FLAG
  return false;
}

std::string flag_help(std::string_view member) {
#define CONLAB_FLAG(type, name, def, choices, help) \
  if (member == #name) return option_table::help_line(#name, help, fmt::format("{}", def), choices, option_table::is_numeric<type>);
#include "harness/cli/flags.inc"
#undef CONLAB_FLAG
  return {};
}

std::string flags_help() {
  std::string out;
#define CONLAB_FLAG(type, name, def, choices, help) \
  out += option_table::help_line(#name, help, fmt::format("{}", def), choices, option_table::is_numeric<type>);
#include "harness/cli/flags.inc"
#undef CONLAB_FLAG
  return out;
}

}  // namespace lab::cli
