// Fuzz target: the replay token decoder and the replay of whatever it accepts. Whatever the
// bytes, decode_token either refuses with one line or gives a token; a token that names a
// catalog scenario is replayed - any schedule, however it diverges, must end in a report, never
// a crash (libFuzzer with ASan and UBSan finds one; tests/fuzz/corpus/token keeps the inputs).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "harness/explore/explorer.h"
#include "harness/trace/schedule.h"
#include "scenarios/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Half the inputs as they are; half behind the prefix, so the base64 body is exercised.
  if (!text.starts_with("conlab1:") && size > 0 && data[0] % 2 == 0) text = "conlab1:" + text.substr(1);
  std::string error;
  auto token = lab::decode_token(text, error);
  if (!token) {
    if (error.empty() || error.find('\n') != std::string::npos) std::abort();  // one line, always
    return 0;
  }
  lab::schedule::reader r(token->choices);
  for (int i = 0; i < 100000 && r.next(2 + static_cast<std::uint64_t>(i % 7)); ++i) {
  }
  if (const lab::scenario* s = lab::find_scenario(token->scenario)) {
    lab::run_report rep = lab::replay(*token, s->body, {.max_steps = 20000});
    (void)rep;
  }
  return 0;
}
