#include "harness/trace/samples.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace lab {
namespace samples_test {

TEST(SampleStore, NearestRankPercentiles) {
  sample_store s;
  for (std::uint64_t v = 1; v <= 100; ++v) s.add("latency", v);
  auto sum = s.summaries();
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_EQ(sum[0].name, "latency");
  EXPECT_EQ(sum[0].count, 100u);
  EXPECT_EQ(sum[0].p50_ns, 50u);
  EXPECT_EQ(sum[0].p99_ns, 99u);
  EXPECT_EQ(sum[0].max_ns, 100u);
}

TEST(SampleStore, OneSlowSampleInTwentyIsTheP99NotTheP50) {
  sample_store s;
  for (int i = 0; i < 19; ++i) s.add("short", 200'000);
  s.add("short", 2'115'000'000);
  auto sum = s.summaries();
  EXPECT_EQ(sum[0].p50_ns, 200'000u);
  EXPECT_EQ(sum[0].p99_ns, 2'115'000'000u);
}

TEST(SampleStore, MergeAddsCountsAndKeepsNamesApart) {
  sample_store a, b;
  a.add("x", 5);
  b.add("x", 5);
  b.add("x", 7);
  b.add("y", 1);
  a.merge(b);
  auto sum = a.summaries();
  ASSERT_EQ(sum.size(), 2u);
  EXPECT_EQ(sum[0].name, "x");
  EXPECT_EQ(sum[0].count, 3u);
  EXPECT_EQ(sum[0].max_ns, 7u);
  EXPECT_EQ(sum[1].name, "y");
  a.clear();
  EXPECT_TRUE(a.empty());
}

// Brute force: sort the samples and take element ceil(p n / 100) - 1.
TEST(SampleStoreOracle, PercentilesMatchSorting) {
  std::mt19937 rng(5);
  for (int round = 0; round < 500; ++round) {
    sample_store s;
    std::vector<std::uint64_t> v(1 + rng() % 200);
    for (auto& x : v) {
      x = rng() % 50;
      s.add("m", x);
    }
    std::sort(v.begin(), v.end());
    auto rank = [&](std::uint64_t p) { return v[std::max<std::size_t>((p * v.size() + 99) / 100, 1) - 1]; };
    auto sum = s.summaries();
    EXPECT_EQ(sum[0].p50_ns, rank(50)) << round;
    EXPECT_EQ(sum[0].p99_ns, rank(99)) << round;
    EXPECT_EQ(sum[0].max_ns, v.back()) << round;
    EXPECT_EQ(sum[0].count, v.size()) << round;
  }
}

}  // namespace samples_test
}  // namespace lab
