// The schedule of one execution as a value: the choices made, and its printable replay token.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lab {

/// The sequence of choices one execution made (which thread ran, whether a wait woke
/// spuriously ...). A choice among `bound` options is stored in bit_width(bound - 1) bits: the
/// reader knows the bound when it replays the same program, so the bound is not stored.
/// Choices with a single option are never recorded. Appending is amortised O(1) and allocates
/// nothing once the buffer has grown to the longest execution.
class schedule {
 public:
  void clear() {
    words_.clear();
    bits_ = 0;
    count_ = 0;
  }
  /// Appends `value` < `bound` (bound >= 2). Inline: the runtime calls it at every choice.
  void push(std::uint64_t value, std::uint64_t bound) {
    auto w = static_cast<unsigned>(std::bit_width(bound - 1));
    std::uint64_t word = bits_ / 64, off = bits_ % 64;
    if (word >= words_.size()) words_.push_back(0);
    words_[word] |= value << off;
    if (off + w > 64) words_.push_back(value >> (64 - off));
    bits_ += w;
    ++count_;
  }

  std::uint64_t bit_count() const { return bits_; }
  std::uint64_t choice_count() const { return count_; }
  bool operator==(const schedule&) const = default;

  /// Reads the choices back in order.
  class reader {
   public:
    explicit reader(const schedule& s) : s_(&s) {}
    /// The next choice below `bound`; nullopt when the schedule is exhausted or the stored value
    /// is not below `bound` (the program diverged from the recorded run).
    std::optional<std::uint64_t> next(std::uint64_t bound);
    bool at_end() const { return pos_ >= s_->bits_; }

   private:
    const schedule* s_;
    std::uint64_t pos_ = 0;
  };

  /// Raw little-endian bytes of the bit stream and its inverse, for tokens.
  std::vector<std::uint8_t> bytes() const;
  static schedule from_bytes(const std::vector<std::uint8_t>& bytes, std::uint64_t bits, std::uint64_t count);

 private:
  std::vector<std::uint64_t> words_;
  std::uint64_t bits_ = 0;
  std::uint64_t count_ = 0;
};

/// Everything needed to re-run one execution exactly: which program, which execution of which
/// exploration (for the report), and the choices.
struct replay_token {
  std::string scenario;  ///< "name/variant", or the test name for user code
  std::string strategy;  ///< the strategy that found it (informational)
  std::uint64_t seed = 0;
  std::uint64_t execution = 0;  ///< index of the execution in its exploration
  schedule choices;
  bool operator==(const replay_token&) const = default;
};

/// "conlab1:" followed by base64url of a versioned, checksummed binary encoding.
std::string encode_token(const replay_token& t);

/// Parses a token; on failure returns nullopt and sets `error` to one line saying why.
std::optional<replay_token> decode_token(std::string_view text, std::string& error);

}  // namespace lab
