// Fuzz target: the option parsers of both tables (harness/core/options.inc, harness/cli/flags.inc)
// and the range check of lab::options. The input is lines "FLAG VALUE"; every value is either
// taken or refused with one line, and what is taken passes check_options (no value a conversion
// would round away or overflow).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness/cli/flags.h"
#include "harness/core/options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  lab::options opts;
  lab::cli::flags flags;
  while (!in.empty()) {
    auto nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    auto sp = line.find(' ');
    std::string_view flag = line.substr(0, sp), value = sp == std::string_view::npos ? "" : line.substr(sp + 1);
    auto err = lab::is_option(flag) ? lab::set_option(opts, flag, value) : lab::cli::set_flag(flags, flag, value);
    if (err && (err->empty() || err->find('\n') != std::string::npos)) std::abort();  // one line, always
  }
  if (auto bad = lab::check_options(opts)) std::abort();  // the parser let through what the check refuses
  (void)lab::options_help();
  return 0;
}
