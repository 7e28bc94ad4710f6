// What a detector is made from when the detector set composes it.
#pragma once

#include <cstdint>

#include "harness/core/options.h"
#include "harness/detect/lock_table.h"
#include "harness/trace/finding.h"

namespace lab {

/// Everything a detector in a detector set may use: where findings go, the set's shared lock
/// table (read-only; the set updates it after every detector has seen an event) and the
/// exploration's options (its thresholds). Every detector has a constructor from it.
struct detector_context {
  finding_sink& out;
  const lock_table& locks;
  const options& opts;
};

/// Milliseconds of an option as nanoseconds of virtual time; past ~584 years it is no limit.
constexpr std::uint64_t ns_of_ms(double ms) {
  return ms >= 1.8e13 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(ms * 1e6);
}

}  // namespace lab
