// Which store each atomic load of a recorded execution read, from its history: what a report
// says about a stale read (the weak memory model, harness/runtime/memory_model.h).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "harness/trace/event.h"

namespace lab {

/// A load that read a store older than the latest one of its atomic (event::stale > 0).
/// Positions are indices into the history.
struct stale_read {
  std::size_t load = 0;
  std::optional<std::size_t> source;  ///< the store it read; none: the value the atomic had at its first use
  std::vector<std::size_t> unseen;    ///< the stores after it in modification order: the load could have read these
};

/// The stale reads among the first `upto` events of `history`, in history order, with the
/// stores in modification order as the events placed them (event::stale).
std::vector<stale_read> stale_reads(std::span<const event> history, std::size_t upto);

}  // namespace lab
