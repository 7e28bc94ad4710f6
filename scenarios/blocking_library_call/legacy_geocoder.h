// A stand-in for a third-party synchronous library: an HTTP geocoding client with no async API.
#pragma once

#include <string>

#include "harness/lab.h"

namespace legacy_geocoder {

/// Looks an address up over the network: blocks the calling thread for the round trip
/// (250 ms), like requests.get() would.
inline std::string lookup(const std::string& address) {
  lab::this_thread::sleep_for(std::chrono::milliseconds(250));  // the blocking socket read
  return address.empty() ? std::string("?") : std::string("48.85,2.35");
}

}  // namespace legacy_geocoder
