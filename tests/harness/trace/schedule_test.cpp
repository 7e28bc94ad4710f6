#include "harness/trace/schedule.h"

#include <gtest/gtest.h>

#include <random>

namespace lab {
namespace schedule_test {

TEST(Schedule, ChoicesReadBackInOrder) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    schedule s;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> want;
    int n = static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      std::uint64_t bound = 2 + rng() % (i % 7 == 0 ? 1'000'000 : 64);
      std::uint64_t v = rng() % bound;
      s.push(v, bound);
      want.emplace_back(v, bound);
    }
    EXPECT_EQ(s.choice_count(), want.size());
    schedule::reader r(s);
    for (auto [v, bound] : want) EXPECT_EQ(r.next(bound), v);
    EXPECT_TRUE(r.at_end());
    EXPECT_FALSE(r.next(2)) << "reading past the end is divergence, not garbage";
  }
}

TEST(Schedule, ValueNotBelowBoundIsDivergence) {
  schedule s;
  s.push(3, 4);  // two bits: 11
  schedule::reader r(s);
  EXPECT_FALSE(r.next(3)) << "3 is not below 3: the program asked a different question";
}

TEST(Schedule, BinaryChoicesCostOneBit) {
  schedule s;
  for (int i = 0; i < 64; ++i) s.push(static_cast<std::uint64_t>(i % 2), 2);
  EXPECT_EQ(s.bit_count(), 64u);
}

TEST(ReplayToken, RoundTrips) {
  replay_token t{"lost_update/broken", "pct", 42, 1234, {}};
  for (int i = 0; i < 100; ++i) t.choices.push(static_cast<std::uint64_t>(i % 3), 3);
  auto text = encode_token(t);
  EXPECT_TRUE(text.starts_with("conlab1:"));
  std::string error;
  auto back = decode_token(text, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, t);
}

TEST(ReplayToken, EmptyScheduleRoundTrips) {
  replay_token t{"x/y", "random", 1, 0, {}};
  std::string error;
  auto back = decode_token(encode_token(t), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, t);
}

TEST(ReplayToken, MalformedTokensAreRejectedWithOneLine) {
  replay_token t{"lost_update/broken", "random", 1, 3, {}};
  t.choices.push(1, 2);
  std::string good = encode_token(t);
  std::string flipped = good;
  flipped[12] = flipped[12] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {std::string("garbage"), std::string("conlab1:"), std::string("conlab1:@@@@"),
                                 good.substr(0, good.size() - 3), flipped, "conlab2:" + good.substr(8)}) {
    std::string error;
    EXPECT_FALSE(decode_token(bad, error)) << bad;
    EXPECT_TRUE(error.starts_with("malformed replay token")) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos);
  }
}

// A bit count near 2^64 used to wrap the byte arithmetic and read an empty buffer (SIGSEGV).
TEST(ReplayToken, AHugeBitCountIsMalformedNotACrash) {
  std::string error;
  EXPECT_FALSE(decode_token("conlab1:ARJsb3N0X3VwZGF0ZS9icm9rZW4GcmFuZG9tAQAF____________AbuB7BU", error));
  EXPECT_TRUE(error.starts_with("malformed replay token")) << error;
}

// A token re-encoded with any bit count and choice count: decoding either fails with one line
// or gives a schedule whose reader never reads past its bytes.
TEST(ReplayToken, EveryCountIsCheckedAgainstTheBytes) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 2000; ++round) {
    replay_token t{"s/v", "random", rng() % 5, rng() % 9, {}};
    for (int i = 0, n = static_cast<int>(rng() % 40); i < n; ++i) t.choices.push(rng() % 3, 3);
    auto base = schedule::from_bytes(t.choices.bytes(), t.choices.bit_count(), t.choices.choice_count());
    // Lie about the counts: huge, off by one, zero.
    std::uint64_t lies[] = {~std::uint64_t{0}, ~std::uint64_t{0} - 6, t.choices.bit_count() + 1,
                            t.choices.bit_count() + 8, 0, rng()};
    for (std::uint64_t bits : lies) {
      auto s = schedule::from_bytes(t.choices.bytes(), bits, rng());
      schedule::reader r(s);
      for (int k = 0; k < 200 && r.next(2 + rng() % 5); ++k) {
      }
      EXPECT_LE(s.bit_count(), t.choices.bytes().size() * 8);
    }
    (void)base;
  }
}

// Random corruption of valid tokens: never a crash, always one line when rejected.
TEST(ReplayToken, CorruptedTokensNeverCrash) {
  std::mt19937_64 rng(5);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int round = 0; round < 20000; ++round) {
    replay_token t{"lost_update/broken", round % 2 ? "pct" : "random", rng() % 100, rng() % 1000, {}};
    for (int i = 0, n = static_cast<int>(rng() % 60); i < n; ++i) t.choices.push(rng() % 4, 4);
    std::string text = encode_token(t);
    for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k) {
      std::size_t at = 8 + rng() % (text.size() - 8);
      switch (rng() % 3) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    std::string error;
    auto back = decode_token(text, error);
    if (!back) {
      EXPECT_EQ(error.find('\n'), std::string::npos);
      continue;
    }
    schedule::reader r(back->choices);
    for (int k = 0; k < 500 && r.next(2 + rng() % 9); ++k) {
    }
  }
}

}  // namespace schedule_test
}  // namespace lab
