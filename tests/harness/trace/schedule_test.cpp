#include "harness/trace/schedule.h"

#include <gtest/gtest.h>

#include <random>

namespace lab {
namespace {

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

}  // namespace
}  // namespace lab
