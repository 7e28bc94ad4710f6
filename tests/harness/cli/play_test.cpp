// `conlab play`: scripted keys drive the game to a finding, back undoes a choice, --replay steps
// through a token; and one game is played in a real terminal (tmux: send-keys, capture-pane).
#include "harness/cli/play.h"

#include <gtest/gtest.h>
#include <fmt/format.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "harness/cli/cli.h"
#include "scenarios/catalog.h"
#include "tests/support/capture.h"

namespace lab {
namespace play_test {

struct played {
  int code = 0;
  std::string out;
  /// The frames, each as printed.
  std::vector<std::string> frames() const {
    std::vector<std::string> v;
    for (std::size_t at = out.find("=== frame "); at != std::string::npos;) {
      std::size_t next = out.find("=== frame ", at + 1);
      v.push_back(out.substr(at, next == std::string::npos ? std::string::npos : next - at));
      at = next;
    }
    return v;
  }
};

played play_keys(std::string_view variant, std::string_view keys, const replay_token* token = nullptr) {
  std::FILE* in = std::tmpfile();
  std::fwrite(keys.data(), 1, keys.size(), in);
  std::rewind(in);
  std::FILE* out = std::tmpfile();
  cli::play_args a{.target = find_scenario(variant), .token = token, .opts = {}, .scripted = true, .keys = in,
                   .source_root = CONLAB_SOURCE_DIR};
  played p;
  p.code = cli::play(a, out);
  p.out = test::slurp(out);
  std::fclose(in);
  return p;
}

std::string token_in(const std::string& text) {
  auto at = text.rfind("Replay: conlab replay ");
  if (at == std::string::npos) return {};
  std::string t = text.substr(at + 22);
  return t.substr(0, t.find('\n'));
}

TEST(Play, ScriptedKeysReachTheRaceOfLostUpdateAndItsTokenReplays) {
  // T1 starts, reads x, writes it and ends; T2 starts and reads x: nothing orders that read
  // after T1's write.
  auto p = play_keys("lost_update/broken", "11122\n");
  ASSERT_EQ(p.code, 1) << p.out;
  auto frames = p.frames();
  ASSERT_EQ(frames.size(), 6u) << p.out;
  EXPECT_NE(frames[0].find("who steps? [1] T1 [2] T2"), std::string::npos) << frames[0];
  EXPECT_NE(frames[0].find("T0 waits: join (blocked) T1"), std::string::npos) << frames[0];
  EXPECT_NE(frames[1].find("T1 next: read V1 'x' :7"), std::string::npos) << frames[1];
  EXPECT_NE(frames[1].find("\n     >    |   7   auto increment"), std::string::npos) << frames[1];  // T1's column
  EXPECT_NE(frames[2].find("T1 next: write V1 'x' :7"), std::string::npos) << frames[2];
  EXPECT_NE(frames[2].find("state:  V1 'x' = 0"), std::string::npos) << frames[2];
  EXPECT_NE(frames[4].find("who steps? [1] T0 [2] T2"), std::string::npos) << frames[4];
  EXPECT_NE(frames[5].find("GOAL REACHED: data race"), std::string::npos) << frames[5];
  EXPECT_NE(p.out.find("WARNING: conlab: data race (lost_update/broken)"), std::string::npos) << p.out;
  std::string token = token_in(p.out);
  ASSERT_FALSE(token.empty()) << p.out;
  auto replayed = test::run_cli({"replay", token});
  EXPECT_EQ(replayed.code, 1) << replayed.err;
  EXPECT_NE(replayed.out.find("WARNING: conlab: data race (lost_update/broken)"), std::string::npos);
  EXPECT_NE(replayed.out.find("play strategy"), std::string::npos);
}

TEST(Play, EveryFrameFitsEightyByTwentyFour) {
  auto p = play_keys("lock_order_inversion/broken", "12121212q");
  ASSERT_EQ(p.code, 0) << p.out;
  for (const auto& f : p.frames()) {
    std::size_t lines = 0;
    for (std::size_t at = 0, nl; (nl = f.find('\n', at)) != std::string::npos; at = nl + 1, ++lines)
      EXPECT_LE(nl - at, 80u) << f.substr(at, nl - at);
    EXPECT_EQ(lines, 25u) << f;  // the "=== frame N ===" line and 24 of the screen
  }
}

TEST(Play, TheEventLoopsQueuesAreOnScreenAndNameTheTasksToChoose) {
  // Two withdrawal tasks ready, the main task waiting for the first; the choice names them.
  auto bank = play_keys("async_check_then_act/broken", "1q");
  ASSERT_EQ(bank.code, 0) << bank.out;
  auto first = bank.frames().at(0);
  EXPECT_NE(first.find(" loop 'bank': ready [K2 K3] waiting [K1 on K2]"), std::string::npos) << first;
  EXPECT_NE(first.find("which ready task does the loop resume? [1] K2 [2] K3"), std::string::npos) << first;
  // The heartbeat on its timer while the handler's job is out on the executor.
  auto service = play_keys("cpu_bound_in_loop/fixed", "11111q");
  ASSERT_EQ(service.code, 0) << service.out;
  EXPECT_NE(service.out.find(" loop 'service': ready [] sleeping [K2 till 50 ms] parked [K1] executor jobs 1"),
            std::string::npos)
      << service.out;
  // No loop, no loop line.
  auto threads = play_keys("lost_update/broken", "12q");
  EXPECT_EQ(threads.out.find(" loop '"), std::string::npos) << threads.out;
}

TEST(Play, BackTakesTheLastChoiceBack) {
  auto p = play_keys("lost_update/broken", "12bq");
  ASSERT_EQ(p.code, 0);
  auto frames = p.frames();
  ASSERT_EQ(frames.size(), 4u);
  auto screen = [](const std::string& f) { return f.substr(f.find('\n') + 1); };
  EXPECT_EQ(screen(frames[3]), screen(frames[1]));
  EXPECT_NE(screen(frames[2]), screen(frames[1]));
}

TEST(Play, TheLockOrderDeadlockIsReachedByAlternatingAndNeverOnTheFix) {
  // T1 and T2 start, T1 takes a.m, T2 takes b.m, T1 asks for b.m: T2 can only ask for a.m.
  auto broken = play_keys("lock_order_inversion/broken", "12121\n");
  EXPECT_EQ(broken.code, 1) << broken.out;
  EXPECT_NE(broken.out.find("GOAL REACHED: deadlock"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("M1 'a.m' held by T1  M2 'b.m' held by T2"), std::string::npos) << broken.out;
  // The same keys on the fix: the program ends without a finding; nothing to report.
  auto fixed = play_keys("lock_order_inversion/fixed", "1212121212121212\n");
  EXPECT_EQ(fixed.code, 4) << fixed.out;  // the keys ended first
  EXPECT_EQ(fixed.out.find("GOAL REACHED"), std::string::npos);
  EXPECT_NE(fixed.out.find("the program ended without a finding"), std::string::npos) << fixed.out;
}

TEST(Play, ReplayStepsThroughAnExplorationsFindingForwardAndBack) {
  auto run = test::run_cli({"run", "lost_wakeup/broken"});
  ASSERT_EQ(run.code, 1);
  std::string error;
  auto token = decode_token(token_in(run.out), error);
  ASSERT_TRUE(token) << error;
  std::string forward(40, 'n');
  auto p = play_keys("lost_wakeup/broken", forward + "b" + "n\n", &*token);
  ASSERT_EQ(p.code, 1) << p.out;
  EXPECT_NE(p.out.find("GOAL REACHED: lost wakeup"), std::string::npos) << p.out;
  // The report at the end is the token's own.
  EXPECT_EQ(token_in(p.out), token_in(run.out));
}

TEST(Play, BadInputIsOneLineAndExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"play"},
                                        {"play", "no_such/variant"},
                                        {"play", "--replay", "conlab1:garbage"},
                                        {"play", "lost_update/broken", "lost_update/fixed"}}) {
    auto r = test::run_cli(args);
    EXPECT_EQ(r.code, 2) << args.back();
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  auto run = test::run_cli({"run", "lost_wakeup/broken"});
  auto other = test::run_cli({"play", "lost_update/broken", "--replay", token_in(run.out)});
  EXPECT_EQ(other.code, 2);
  EXPECT_NE(other.err.find("the token is for lost_wakeup/broken"), std::string::npos) << other.err;
}

// ---- a real terminal ------------------------------------------------------------------------

std::string sh(const std::string& cmd) {
  std::FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST(Play, InARealTerminal) {
  if (::access("/usr/bin/tmux", X_OK) != 0) GTEST_FAIL() << "tmux is not installed (bash .ci/deps installs it)";
  const std::string session = fmt::format("conlab-play-{}", ::getpid());
  const std::string tmux = fmt::format("tmux -L {} ", session);  // a server of its own
  sh(tmux + fmt::format("new-session -d -s {} -x 80 -y 24 \"cd {} && {} play lost_update/broken; echo EXIT=\\$?; sleep 60\"",
                        session, CONLAB_SOURCE_DIR, CONLAB_CLI_PATH));
  auto pane = [&] { return sh(tmux + fmt::format("capture-pane -p -t {} -S -200", session)); };
  // Waits for `text` and then for `then` below it: tmux may show a frame half drawn, and the keys
  // line ("... q: quit") is a frame's last line.
  auto wait_for = [&](std::string_view text, std::string_view then = "q: quit") {
    for (int i = 0; i < 200; ++i) {  // up to 20 s: a loaded machine starts slowly; no timing is asserted
      std::string now = pane();
      if (auto at = now.find(text); at != std::string::npos && now.find(then, at) != std::string::npos) return now;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pane();
  };
  std::string first = wait_for("who steps?");
  EXPECT_NE(first.find("conlab play lost_update/broken"), std::string::npos) << first;
  EXPECT_NE(first.find("1-9: choose"), std::string::npos) << first;  // the keys, on screen
  // Each key once the frame of the one before it is on the screen.
  const char* keys[] = {"1", "1", "1", "2", "2"};
  for (int i = 0; i < 5; ++i) {
    sh(tmux + fmt::format("send-keys -t {} {}", session, keys[i]));
    if (i < 4) {
      std::string frame = wait_for(fmt::format("choice {}\n", i + 2));  // (tmux trims the line)
      ASSERT_NE(frame.find(fmt::format("choice {}\n", i + 2)), std::string::npos) << frame;
    }
  }
  std::string goal = wait_for("GOAL REACHED");
  EXPECT_NE(goal.find("GOAL REACHED: data race"), std::string::npos) << goal;
  sh(tmux + fmt::format("send-keys -t {} Enter", session));
  std::string end = wait_for("EXIT=", "");
  EXPECT_NE(end.find("EXIT=1"), std::string::npos) << end;
  EXPECT_NE(end.find("Replay: conlab replay conlab1:"), std::string::npos) << end;
  sh(tmux + "kill-server");
}

}  // namespace play_test
}  // namespace lab
