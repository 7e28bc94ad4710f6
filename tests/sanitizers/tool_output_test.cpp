#include "sanitizers/tool_output.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

// The fixtures are real outputs: tests/sanitizers/fixtures/{race,uaf,dl}.cpp built and run under
// each tool (g++ 12, valgrind 3.19, gdb 13 on Debian 12), kept verbatim; tsan-clang.txt is
// race.cpp built by clang++ 16 as cmake/conlab.cmake builds (-ffile-prefix-map,
// -fdebug-compilation-dir=.) from src/ under the mapped root.
namespace lab {
namespace tool_output_test {

std::string fixture(const char* name) {
  std::ifstream in(std::string(CONLAB_SOURCE_DIR) + "/tests/sanitizers/fixtures/" + name);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

TEST(ParseSanitizerOutput, ThreadSanitizerRaceAndLockOrder) {
  auto found = parse_sanitizer_output(fixture("tsan.txt"));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].tool, "tsan");
  EXPECT_EQ(found[0].title, "data race");
  EXPECT_EQ(found[0].kind, verdict::data_race);
  ASSERT_GE(found[0].stacks.size(), 2u);
  EXPECT_EQ(found[0].stacks[0].heading, "Read of size 4 at 0x55f7d97cb148 by thread T2");
  EXPECT_EQ(found[0].stacks[1].heading, "Previous write of size 4 at 0x55f7d97cb148 by thread T1");
  const frame* f = found[0].blame("/tmp/fx/");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->file, "/tmp/fx/race.cpp");
  EXPECT_EQ(f->line, 5);
  EXPECT_EQ(f->function, "inc()");

  EXPECT_EQ(found[1].title, "lock-order-inversion (potential deadlock)");
  EXPECT_EQ(found[1].kind, verdict::lock_order_inversion);
  ASSERT_EQ(found[1].stacks.size(), 2u);
  EXPECT_EQ(found[1].stacks[0].frames.back().line, 10);
  EXPECT_EQ(found[1].stacks[1].frames.back().line, 11);
}

TEST(ParseSanitizerOutput, ClangThreadSanitizerFramesWithBuildIds) {
  // clang++'s runtime prints "FILE:LINE:COL (MODULE+0xOFF) (BuildId: HEX)" on each frame.
  auto found = parse_sanitizer_output(fixture("tsan-clang.txt"));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].kind, verdict::data_race);
  const frame* f = found[0].blame("src/");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->file, "src/race.cpp");
  EXPECT_EQ(f->line, 5);
  EXPECT_EQ(f->function, "inc()");
  EXPECT_TRUE(is_project_frame(*f));
  EXPECT_EQ(found[1].kind, verdict::lock_order_inversion);
  ASSERT_EQ(found[1].stacks.size(), 2u);
  // "#0 pthread_mutex_lock <null>" has no file and is no frame; #1 ends in its BuildId.
  EXPECT_EQ(found[1].stacks[0].frames.front().function, "__gthread_mutex_lock(pthread_mutex_t*)");
  EXPECT_EQ(found[1].stacks[0].frames.back().file, "src/race.cpp");
  EXPECT_EQ(found[1].stacks[0].frames.back().line, 10);
  EXPECT_EQ(found[1].stacks[1].frames.back().line, 11);
}

TEST(ParseSanitizerOutput, DotSlashPathsReadAsProjectPaths) {
  auto found = parse_sanitizer_output(
      "WARNING: ThreadSanitizer: data race (pid=1)\n"
      "  Write of size 8 at 0x7b0400000010 by thread T2:\n"
      "    #0 lab::scenarios::(anonymous namespace)::run<false>()::'lambda'()::operator()() const "
      "./scenarios/x/x.cpp:22:15 (conlab+0x177611) (BuildId: 3b92)\n"
      "SUMMARY: ThreadSanitizer: data race ./scenarios/x/x.cpp:22:15 in f\n");
  ASSERT_EQ(found.size(), 1u);
  const frame* f = found[0].blame("scenarios/");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->file, "scenarios/x/x.cpp");
  EXPECT_EQ(f->line, 22);
  EXPECT_EQ(f->function, "lab::scenarios::(anonymous namespace)::run<false>()::'lambda'()::operator()() const");
}

TEST(ParseSanitizerOutput, AddressSanitizerUseAfterFree) {
  auto found = parse_sanitizer_output(fixture("asan.txt"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tool, "asan");
  EXPECT_EQ(found[0].title, "heap-use-after-free");
  EXPECT_EQ(found[0].kind, verdict::crash);
  ASSERT_EQ(found[0].stacks.size(), 3u);
  EXPECT_EQ(found[0].stacks[1].heading, "freed by thread T0 here");
  const frame* f = found[0].blame("/tmp/fx/");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->line, 6);
  EXPECT_EQ(found[0].stacks[1].frames[1].line, 4) << "where it was freed";
}

TEST(ParseSanitizerOutput, UndefinedBehaviorSanitizerWithStack) {
  auto found = parse_sanitizer_output(fixture("ubsan.txt"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tool, "ubsan");
  EXPECT_EQ(found[0].title, "signed integer overflow");
  ASSERT_EQ(found[0].stacks.size(), 1u);
  EXPECT_EQ(found[0].stacks[0].frames[0].file, "uaf.cpp");
  EXPECT_EQ(found[0].stacks[0].frames[0].line, 5);
  EXPECT_EQ(found[0].stacks[0].frames[1].function, "main");
}

TEST(ParseSanitizerOutput, NothingInCleanOutput) {
  EXPECT_TRUE(parse_sanitizer_output("conlab: lost_update/fixed is clean\n").empty());
  EXPECT_TRUE(parse_sanitizer_output("").empty());
}

// A report cut off by a killed child keeps what was printed.
TEST(ParseSanitizerOutput, TruncatedReportKeepsItsFrames) {
  auto text = fixture("tsan.txt");
  auto found = parse_sanitizer_output(text.substr(0, text.find("  Previous write")));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, verdict::data_race);
  ASSERT_EQ(found[0].stacks.size(), 1u);
}

TEST(ParseValgrindOutput, HelgrindRacesAndLockOrder) {
  auto found = parse_valgrind_output(fixture("helgrind.txt"), "helgrind");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].kind, verdict::data_race);
  EXPECT_EQ(found[0].tool, "helgrind");
  ASSERT_EQ(found[0].stacks.size(), 2u) << "the access and the one it conflicts with";
  EXPECT_EQ(found[0].stacks[1].heading, "This conflicts with a previous write of size 4 by thread #2");
  EXPECT_EQ(found[0].stacks[0].frames[0].function, "inc()");
  EXPECT_EQ(found[0].stacks[0].frames[0].line, 5);
  EXPECT_EQ(found[1].kind, verdict::data_race);
  EXPECT_EQ(found[2].kind, verdict::lock_order_inversion);
  const frame* f = found[2].blame("race.cpp");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->file, "race.cpp");
}

TEST(ParseValgrindOutput, DrdConflictingAccesses) {
  auto found = parse_valgrind_output(fixture("drd.txt"), "drd");
  ASSERT_EQ(found.size(), 2u);
  for (const auto& t : found) {
    EXPECT_EQ(t.kind, verdict::data_race);
    EXPECT_EQ(t.tool, "drd");
    const frame* f = t.blame("race.cpp");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->line, 5);
  }
  EXPECT_EQ(found[0].stacks[0].heading, "Conflicting load by thread 3 at 0x0010c0a0 size 4");
}

TEST(ParseGdbBacktraces, EveryThreadOfADeadlock) {
  auto threads = parse_gdb_backtraces(fixture("gdb.txt"));
  ASSERT_EQ(threads.size(), 3u);
  EXPECT_EQ(threads[0].name, "Thread 3 (LWP 11986)");
  auto in_source = [](const thread_stack& t) -> const frame* {
    for (const auto& f : t.frames)
      if (f.file == "dl.cpp") return &f;
    return nullptr;
  };
  ASSERT_NE(in_source(threads[0]), nullptr);
  EXPECT_EQ(in_source(threads[0])->function, "two");
  EXPECT_EQ(in_source(threads[0])->line, 6);
  EXPECT_EQ(in_source(threads[1])->function, "one");
  EXPECT_EQ(in_source(threads[2])->function, "main");
  EXPECT_EQ(threads[0].frames[6].function, "std::lock_guard<std::mutex>::lock_guard") << "arguments dropped";
  EXPECT_EQ(threads[0].frames[10].function, "std::thread::_Invoker<std::tuple<void (*)()> >::_M_invoke<0ul>");
}

// An error the headline table does not know still counts when it heads a stack; helgrind's
// announcements of threads and locks, which head stacks too, do not.
TEST(ParseValgrindOutput, UnknownErrorsCountAnnouncementsDoNot) {
  const char* text =
      "==1== ---Thread-Announcement------------------------------------------\n"
      "==1== \n"
      "==1== Thread #2 was created\n"
      "==1==    at 0x4CAAB3F: clone (clone.S:76)\n"
      "==1==    by 0x11D673: run (scenarios/x/x.cpp:12)\n"
      "==1== \n"
      "==1== Lock at 0x59869C0 was first observed\n"
      "==1==    at 0x484976E: lock (scenarios/x/x.cpp:20)\n"
      "==1== \n"
      "==1== Thread 2:\n"
      "==1== not a condition variable: cond 0x59a7c08\n"
      "==1==    at 0x485981A: pthread_cond_destroy@* (in /usr/libexec/valgrind/vgpreload_drd-amd64-linux.so)\n"
      "==1==    by 0x18E438: lab::event_loop::~event_loop() (build/dev/harness/loop/loop.cpp:81)\n"
      "==1==    by 0x16D373: run (build/dev/scenarios/never_awaited/never_awaited.cpp:34)\n"
      "==1== \n"
      "==1== Exit program on first error (--exit-on-first-error=yes)\n";
  auto found = parse_valgrind_output(text, "drd");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].title, "not a condition variable");
  EXPECT_EQ(found[0].kind, verdict::mutex_misuse);
  const frame* f = found[0].blame("scenarios/");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->file, "build/dev/scenarios/never_awaited/never_awaited.cpp") << "matched after a '/'";
}

TEST(WithoutAddresses, DropsAddressesAndPids) {
  EXPECT_EQ(without_addresses("Read of size 4 at 0x7f6ec113de50 by thread T3"), "Read of size 4 by thread T3");
  EXPECT_EQ(without_addresses("data race (pid=4567)"), "data race");
  EXPECT_EQ(without_addresses("Conflicting load by thread 3 at 0x0010c0a0 size 4"), "Conflicting load by thread 3 size 4");
  EXPECT_EQ(without_addresses("no address here"), "no address here");
}

}  // namespace tool_output_test
}  // namespace lab
