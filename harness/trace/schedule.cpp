#include "harness/trace/schedule.h"

#include <algorithm>
#include <bit>

namespace lab {
namespace {

constexpr std::string_view prefix = "conlab1:";
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

unsigned width_of(std::uint64_t bound) { return static_cast<unsigned>(std::bit_width(bound - 1)); }

std::uint32_t fnv1a(const std::vector<std::uint8_t>& data) {
  std::uint32_t h = 2166136261u;
  for (auto b : data) {
    h ^= b;
    h *= 16777619u;
  }
  return h;
}

void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

struct cursor {
  const std::vector<std::uint8_t>& data;
  std::size_t pos = 0;
  bool ok = true;

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (pos >= data.size()) break;
      std::uint8_t b = data[pos++];
      v |= std::uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  std::string text() {
    auto n = varint();
    if (!ok || n > data.size() - pos) {
      ok = false;
      return {};
    }
    std::string s(data.begin() + static_cast<std::ptrdiff_t>(pos), data.begin() + static_cast<std::ptrdiff_t>(pos + n));
    pos += n;
    return s;
  }
};

}  // namespace

std::optional<std::uint64_t> schedule::reader::next(std::uint64_t bound) {
  if (bound < 2) return std::nullopt;  // a choice has two options at least
  unsigned w = width_of(bound);
  if (w > s_->bits_ || pos_ > s_->bits_ - w) return std::nullopt;
  std::uint64_t word = pos_ / 64, off = pos_ % 64;
  std::uint64_t v = s_->words_[word] >> off;
  if (off + w > 64) v |= s_->words_[word + 1] << (64 - off);
  if (w < 64) v &= (std::uint64_t{1} << w) - 1;
  pos_ += w;
  if (v >= bound) return std::nullopt;
  return v;
}

std::vector<std::uint8_t> schedule::bytes() const {
  std::vector<std::uint8_t> out((bits_ + 7) / 8);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(words_[i / 8] >> (8 * (i % 8)));
  return out;
}

schedule schedule::from_bytes(const std::vector<std::uint8_t>& bytes, std::uint64_t bits, std::uint64_t count) {
  // The stream holds at most the bits of its bytes (decode_token checks it; a caller that
  // does not gets a schedule cut to what the bytes hold, never a read past them).
  bits = std::min<std::uint64_t>(bits, std::uint64_t{bytes.size()} * 8);
  schedule s;
  s.words_.assign(bits / 64 + (bits % 64 != 0), 0);
  for (std::size_t i = 0; i < bytes.size() && i / 8 < s.words_.size(); ++i)
    s.words_[i / 8] |= std::uint64_t{bytes[i]} << (8 * (i % 8));
  s.bits_ = bits;
  s.count_ = count;
  return s;
}

std::string encode_token(const replay_token& t) {
  std::vector<std::uint8_t> data;
  data.push_back(1);  // format version
  put_varint(data, t.scenario.size());
  data.insert(data.end(), t.scenario.begin(), t.scenario.end());
  put_varint(data, t.strategy.size());
  data.insert(data.end(), t.strategy.begin(), t.strategy.end());
  put_varint(data, t.seed);
  put_varint(data, t.execution);
  put_varint(data, t.choices.choice_count());
  put_varint(data, t.choices.bit_count());
  auto bytes = t.choices.bytes();
  data.insert(data.end(), bytes.begin(), bytes.end());
  std::uint32_t sum = fnv1a(data);
  for (int i = 0; i < 4; ++i) data.push_back(static_cast<std::uint8_t>(sum >> (8 * i)));

  std::string out(prefix);
  std::uint32_t acc = 0;
  int nbits = 0;
  for (auto b : data) {
    acc = (acc << 8) | b;
    nbits += 8;
    while (nbits >= 6) {
      nbits -= 6;
      out += alphabet[(acc >> nbits) & 63];
    }
  }
  if (nbits > 0) out += alphabet[(acc << (6 - nbits)) & 63];
  return out;
}

std::optional<replay_token> decode_token(std::string_view text, std::string& error) {
  if (!text.starts_with(prefix)) {
    error = "malformed replay token: it must start with 'conlab1:'";
    return std::nullopt;
  }
  text.remove_prefix(prefix.size());
  std::vector<std::uint8_t> data;
  std::uint32_t acc = 0;
  int nbits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    if (v < 0) {
      error = "malformed replay token: unexpected character";
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      data.push_back(static_cast<std::uint8_t>(acc >> nbits));
    }
  }
  if (data.size() < 5) {
    error = "malformed replay token: too short";
    return std::nullopt;
  }
  std::uint32_t sum = 0;
  for (int i = 0; i < 4; ++i) sum |= std::uint32_t{data[data.size() - 4 + static_cast<std::size_t>(i)]} << (8 * i);
  data.resize(data.size() - 4);
  if (fnv1a(data) != sum) {
    error = "malformed replay token: checksum mismatch (was it copied whole?)";
    return std::nullopt;
  }
  if (data[0] != 1) {
    error = "malformed replay token: unknown format version";
    return std::nullopt;
  }
  cursor c{data, 1};
  replay_token t;
  t.scenario = c.text();
  t.strategy = c.text();
  t.seed = c.varint();
  t.execution = c.varint();
  auto count = c.varint();
  auto bits = c.varint();
  // Checked: a bit count near 2^64 must not wrap the byte count to something that fits.
  const std::uint64_t bytes_left = data.size() - c.pos;
  const std::uint64_t bytes_needed = bits / 8 + (bits % 8 != 0);
  if (!c.ok || bytes_needed != bytes_left || count > bits) {
    error = "malformed replay token: truncated or inconsistent";
    return std::nullopt;
  }
  std::vector<std::uint8_t> bytes(data.begin() + static_cast<std::ptrdiff_t>(c.pos), data.end());
  t.choices = schedule::from_bytes(bytes, bits, count);
  return t;
}

}  // namespace lab
