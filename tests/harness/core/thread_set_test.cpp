#include "harness/core/thread_set.h"

#include <gtest/gtest.h>

#include <vector>

namespace lab {
namespace thread_set_test {

std::vector<std::uint32_t> members(const thread_set& s) {
  std::vector<std::uint32_t> out;
  s.for_each([&](thread_id t) { out.push_back(t); });
  return out;
}

TEST(ThreadSet, AMaskOfTheFirst64ThreadsIsOneWord) {
  thread_set s = 0b1011'0010'0110;
  EXPECT_EQ(s.words(), 1u);
  EXPECT_EQ(s.size(), 6u);
  EXPECT_EQ(members(s), (std::vector<std::uint32_t>{1, 2, 5, 8, 9, 11}));
  EXPECT_TRUE(s.contains(thread_id{5}));
  EXPECT_FALSE(s.contains(thread_id{4}));
  EXPECT_FALSE(s.contains(thread_id{700}));
  EXPECT_EQ(s.first(), 1u);
}

TEST(ThreadSet, MembersPastTheFirstWordGrowTheSet) {
  thread_set s;
  EXPECT_TRUE(s.empty());
  for (std::uint32_t t : {3u, 63u, 64u, 130u, 1023u}) s.insert(thread_id{t});
  EXPECT_EQ(s.words(), max_threads / 64);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(members(s), (std::vector<std::uint32_t>{3, 63, 64, 130, 1023}));
  for (std::uint64_t n = 0; n < s.size(); ++n) EXPECT_EQ(s.rank(s.nth(n)), n) << n;
  EXPECT_EQ(s.nth(3), 130u);
  EXPECT_EQ(s.rank(thread_id{1023}), 4u);
  s.erase(thread_id{3});
  s.erase(thread_id{63});
  s.erase(thread_id{64});
  s.erase(thread_id{1023});
  EXPECT_TRUE(s.single());
  EXPECT_EQ(s.first(), 130u);
  s.erase(thread_id{130});
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.single());
}

TEST(ThreadSet, UnionDifferenceAndEqualityCrossWords) {
  thread_set a, b, c;
  for (std::uint32_t t = 0; t < 300; t += 3) a.insert(thread_id{t});
  for (std::uint32_t t = 0; t < 300; t += 6) b.insert(thread_id{t});
  c.insert(thread_id{3});
  thread_set d = thread_set::minus(a, b, c);  // multiples of 3, not of 6, not 3
  EXPECT_EQ(d.size(), 49u);
  EXPECT_FALSE(d.contains(thread_id{3}));
  EXPECT_TRUE(d.contains(thread_id{297}));
  EXPECT_TRUE((b | d | c) == a);
  thread_set one = 0b1;
  thread_set grown = one;
  grown.insert(thread_id{900});
  grown.erase(thread_id{900});
  EXPECT_TRUE(grown == one) << "equal sets compare equal whatever words they use";
}

}  // namespace thread_set_test
}  // namespace lab
