// The exercises' table and their invariants: each invariant holds on the scenario's fix and at
// least one breaks on a "fix" that does nothing; hints come from the README.
#include "scenarios/exercises.h"

#include <gtest/gtest.h>

#include "harness/explore/explorer.h"
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab {
namespace exercises_test {

std::vector<run_report> witnesses(const scenario& s, int n = 4) {
  options o;
  o.strategy = "random";
  std::vector<run_report> out;
  for (int i = 0; i < n; ++i) out.push_back(observe(s.full_name(), s.body, o, static_cast<std::uint64_t>(i)));
  return out;
}

TEST(Exercises, EachStartsFromABrokenVariantAndEndsAtItsFix) {
  ASSERT_FALSE(exercises().empty());
  for (const auto& e : exercises()) {
    const scenario* broken = find_scenario(e.variant);
    ASSERT_NE(broken, nullptr) << e.variant;
    EXPECT_NE(broken->expected, verdict::clean) << e.variant;
    ASSERT_NE(find_scenario(e.fixed_variant()), nullptr) << e.name;
    EXPECT_NE(e.source.find(fmt::format("LAB_EXERCISE({})", e.name)), std::string_view::npos) << e.name;
    EXPECT_NE(e.solution.find(fmt::format("LAB_EXERCISE({})", e.name)), std::string_view::npos) << e.name;
    EXPECT_NE(e.source, e.solution) << e.name;
    EXPECT_FALSE(e.invariants.empty()) << e.name;
    EXPECT_EQ(hints(e).size(), 3u) << e.name << ": the README needs its Interleaving and Fix sections";
  }
}

TEST(Exercises, EveryInvariantHoldsOnTheScenariosFix) {
  for (const auto& e : exercises()) {
    const scenario& fixed = *find_scenario(e.fixed_variant());
    auto w = witnesses(fixed);
    for (const auto& r : w) ASSERT_EQ(r.result, verdict::clean) << e.name;
    for (const auto& r : check_invariants(e, w, e.solution)) EXPECT_TRUE(r.held) << e.name << ": " << r.rule->says << " - " << r.seen;
  }
}

void does_nothing() {}

TEST(Exercises, AFixThatDoesNothingBreaksAnInvariantOfEach) {
  scenario nothing{.name = "nothing", .variant = "fixed", .body = &does_nothing};
  auto w = witnesses(nothing, 1);
  for (const auto& e : exercises()) {
    auto results = check_invariants(e, w, e.solution);
    EXPECT_TRUE(std::any_of(results.begin(), results.end(), [](const auto& r) { return !r.held; })) << e.name;
  }
}

TEST(Exercises, EachKindOfInvariantFiresAndStaysQuiet) {
  // Two threads write x (1 then 2), on a schedule the random strategy chooses.
  scenario two{.name = "two", .variant = "fixed", .body = [] {
                 lab::shared<int> x{0, "x"};
                 lab::mutex m{"m"};
                 lab::thread t1([&] { lab::lock_guard g(m); x = x + 1; });
                 lab::thread t2([&] { lab::lock_guard g(m); x = x + 1; });
                 t1.join();
                 t2.join();
               }};
  auto w = witnesses(two, 2);
  using k = invariant::kind;
  auto held = [&](invariant rule, std::string_view source = "") {
    exercise e{.name = "two", .invariants = {rule}};
    return check_invariants(e, w, source).front();
  };
  EXPECT_TRUE(held({.what = k::threads, .n = 2}).held);
  EXPECT_FALSE(held({.what = k::threads, .n = 3}).held);
  EXPECT_EQ(held({.what = k::threads, .n = 3}).seen, "2 threads besides T0 (execution 1 of 2)");
  EXPECT_TRUE(held({.what = k::modified_by, .n = 2, .object = "x"}).held);
  EXPECT_FALSE(held({.what = k::modified_by, .n = 1, .object = "y"}).held);
  EXPECT_TRUE(held({.what = k::final_value, .n = 2, .object = "x"}).held);
  EXPECT_FALSE(held({.what = k::final_value, .n = 1, .object = "x"}).held);
  EXPECT_TRUE(held({.what = k::within_ms, .n = 1}).held);
  EXPECT_FALSE(held({.what = k::tasks, .n = 1}).held);
  EXPECT_FALSE(held({.what = k::pool_tasks, .n = 1}).held);  // (held on pool_deadlock's fix, above)
  EXPECT_TRUE(held({.what = k::source_has, .text = "lock_guard"}, "lab::lock_guard g(m);").held);
  EXPECT_FALSE(held({.what = k::source_has, .text = "lock_guard"}, "x = x + 1;").held);
  exercise none{.name = "two", .invariants = {{.what = k::threads, .n = 1}}};
  EXPECT_FALSE(check_invariants(none, {}, "").front().held);  // nothing observed: nothing held
}

}  // namespace exercises_test
}  // namespace lab
