#include "reports/text.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/lab.h"
#include "harness/explore/explorer.h"
#include "reports/labels.h"
#include "scenarios/catalog.h"
#include "tests/support/fixtures.h"
#include "tests/support/golden.h"

namespace lab {
namespace text_test {

std::string golden_name(const scenario& s, std::string_view ext) {
  std::string n = s.full_name();
  for (char& c : n)
    if (c == '/') c = '.';
  return n + std::string(ext);
}

// The renderer on a hand-built report (tests/support/fixtures.h).
TEST(TextReport, AHandBuiltRaceMatchesItsGolden) {
  test::expect_golden("fixtures/race.txt", reports::render_text(test::race_fixture()));
}

// The catalog's reports are what a learner reads first: kept as goldens, each bounded (a long
// interleaving is elided, see LongInterleavingsAreElided).
TEST(TextReport, EveryCatalogVariantMatchesItsGolden) {
  for (const auto& s : catalog()) {
    run_report r = explore(s.full_name(), s.body, {.schedules = 300});
    test::expect_golden(golden_name(s, ".txt"), reports::render_text(r));
  }
}

// The README's story quotes `conlab run lost_update/broken`: it must be what the lab prints.
TEST(TextReport, TheReadmesStoryIsTheLabsOutput) {
  std::ifstream in(std::string(CONLAB_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in);
  std::string readme((std::istreambuf_iterator<char>(in)), {});
  auto begin = readme.find("==================\nWARNING: conlab: data race (lost_update/broken)");
  ASSERT_NE(begin, std::string::npos);
  auto end = readme.find("```", begin);
  ASSERT_NE(end, std::string::npos);
  run_report r = explore("lost_update/broken", find_scenario("lost_update/broken")->body, {});
  EXPECT_EQ(readme.substr(begin, end - begin), reports::render_text(r)) << "update the README's story";
}

TEST(TextReport, FindingLayoutLikeThreadSanitizer) {
  run_report r = explore("lost_update/broken", find_scenario("lost_update/broken")->body, {});
  std::string text = reports::render_text(r);
  EXPECT_TRUE(text.starts_with("==================\nWARNING: conlab: data race (lost_update/broken)\n"));
  EXPECT_NE(text.find("\nSUMMARY: conlab: data race scenarios/lost_update/exercise.cpp:"), std::string::npos);
  EXPECT_EQ(text.find("0x"), std::string::npos) << "no raw addresses";
  auto last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  EXPECT_TRUE(last.starts_with("Replay: conlab replay conlab1:")) << "the replay line is last: " << last;
}

TEST(TextReport, InterleavingHasOneColumnPerThread) {
  run_report r = explore("x", find_scenario("lock_order_inversion/broken")->body, {});
  std::string text = reports::render_text(r);
  auto header = text.find("   step  T0");
  ASSERT_NE(header, std::string::npos) << text;
  std::string line = text.substr(header, text.find('\n', header) - header);
  EXPECT_NE(line.find("T1"), std::string::npos);
  EXPECT_NE(line.find("T2"), std::string::npos);
}

TEST(TextReport, LongInterleavingsAreElided) {
  run_report r = explore("x", [] {
    lab::atomic<int> n{0};
    lab::thread t([&] { for (int i = 0; i < 100; ++i) n.fetch_add(1); });
    for (int i = 0; i < 100; ++i) n.fetch_add(1);
    t.join();
    lab::assert_that(n.load() == 0, "made to fail");
  }, {.schedules = 1});
  std::string text = reports::render_text(r, 20);
  EXPECT_NE(text.find("rows omitted"), std::string::npos);
  EXPECT_LT(std::count(text.begin(), text.end(), '\n'), 60);
}

// A shared_mutex's waits say who holds it shared: the upgrade's thread itself, or a reader.
TEST(TextReport, AnUpgradeSaysTheThreadHoldsItShared) {
  run_report r = explore("upgrade", [] {
    lab::shared_mutex rw{rw_policy::fair, "rw"};
    lab::thread a([&] {
      rw.lock_shared();
      rw.lock();
    });
    a.join();
  }, {.schedules = 1});
  std::string text = reports::render_text(r);
  EXPECT_NE(text.find("T1 waits for R1 'rw', which it already holds shared:"), std::string::npos) << text;
  EXPECT_NE(text.find("R1 acquired shared by T1 at"), std::string::npos) << text;
  run_report plain = explore("relock", [] {
    lab::mutex m{"m"};
    m.lock();
    m.lock();
  }, {.schedules = 1});
  std::string relock = reports::render_text(plain);
  EXPECT_NE(relock.find("T0 waits for M1 'm', which it already holds:"), std::string::npos) << relock;
  EXPECT_EQ(relock.find("shared"), std::string::npos) << relock;
}

TEST(Labels, ObjectIdsArePerKindAndNamed) {
  run_report r;
  r.objects = {{0, object_kind::mutex, 1, "a", {}}, {1, object_kind::shared, 1, "", {}}, {2, object_kind::mutex, 2, "b", {}}};
  EXPECT_EQ(reports::object_label(r, 0), "M1 'a'");
  EXPECT_EQ(reports::object_label(r, 1), "V1");
  EXPECT_EQ(reports::object_label(r, 2), "M2 'b'");
  EXPECT_EQ(reports::object_label(r, 9), "?");
}

}  // namespace text_test
}  // namespace lab
