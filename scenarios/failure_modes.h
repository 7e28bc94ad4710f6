// The failure modes the source documents warn about (docs/catalog.md), as data: the
// rows the report's index is organised by, with the documents' own words.
#pragma once

#include <string_view>
#include <vector>

#include "scenarios/catalog.h"

namespace lab {

/// A warning in one of the source documents (docs/sources.md), quoted.
struct warning {
  std::string_view document;  ///< the document, by author and short title: "Tyika, Conquering the Chaos ..."
  std::string_view quote;     ///< the document's words
};

/// One row of the failure-mode table. `title` is what scenario::failure_mode says for the variants
/// that illustrate it; a row without scenarios (11, "debugging is hard") is served by every
/// report instead.
struct failure_mode {
  int number = 0;
  std::string_view title;
  std::vector<warning> warnings;
  std::string_view expected;  ///< the broken variants' verdict, as the table gives it
  /// A row of the lab's own, not of the documents' table: a C++ rendering of one of their
  /// warnings (the wrong memory order renders the shared-memory races of row 1 in C++ atomics).
  bool lab_row = false;
};

/// The four source documents as the catalog cites them (author, short title), for tests that
/// check every scenario README cites one.
const std::vector<std::string_view>& source_documents();

/// Every row, in the table's order.
const std::vector<failure_mode>& failure_modes();

/// The row whose title is `title`, or null.
const failure_mode* find_failure_mode(std::string_view title);

/// The catalog's variants that illustrate `m`, in catalog order.
std::vector<const scenario*> variants_of(const failure_mode& m);

}  // namespace lab
