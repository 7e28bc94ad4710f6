// fork/exec with one pipe for both output streams, polled against a deadline.
#include "sanitizers/supervisor.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <string>

namespace lab {
namespace {

using clock_type = std::chrono::steady_clock;

/// Reads what is available from `fd` into `out`; false at end of file.
bool drain(int fd, std::string& out) {
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

/// The processes that `pid` forked (direct children), from /proc; empty where /proc is missing.
std::vector<int> children_of(int pid) {
  std::vector<int> out;
  DIR* proc = ::opendir("/proc");
  if (!proc) return out;
  while (dirent* d = ::readdir(proc)) {
    int child = std::atoi(d->d_name);
    if (child <= 0) continue;
    std::string stat;
    if (FILE* f = std::fopen(("/proc/" + std::string(d->d_name) + "/stat").c_str(), "r")) {
      char buf[512];
      std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
      stat.assign(buf, n);
      std::fclose(f);
    }
    auto close = stat.rfind(')');  // "pid (comm) state ppid ...": comm may hold spaces
    if (close == std::string::npos) continue;
    int ppid = 0;
    char state = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == pid) out.push_back(child);
  }
  ::closedir(proc);
  return out;
}

/// gdb's backtraces of every thread of `pid` and of the processes it forked (a child hung on a
/// lock its parent held at the fork); a child's threads are named "Thread child-N".
std::string all_stacks(int pid) {
  auto g = run_child({"gdb", "-batch", "-nx", "-p", std::to_string(pid), "-ex", "thread apply all bt"}, 60.0, false);
  std::string out = g.output;
  for (int child : children_of(pid)) {
    auto c = run_child({"gdb", "-batch", "-nx", "-p", std::to_string(child), "-ex", "thread apply all bt"}, 60.0, false);
    std::string text = c.output;
    for (std::size_t at = 0; (at = text.find("Thread ", at)) != std::string::npos; at += 13)
      if (at == 0 || text[at - 1] == '\n') text.replace(at, 7, "Thread child-");
    out += text;
  }
  return out;
}

bool gdb_available() { return ::access("/usr/bin/gdb", X_OK) == 0 || ::access("/usr/local/bin/gdb", X_OK) == 0; }

/// The caller's environment with `extra` ("NAME=value") added, later entries replacing.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  for (const auto& x : extra) {
    auto name = x.substr(0, x.find('=') + 1);
    std::erase_if(out, [&](const std::string& e) { return e.starts_with(name); });
    out.push_back(x);
  }
  return out;
}

}  // namespace

child_outcome run_child(const std::vector<std::string>& argv, double timeout_s, bool dump_stacks) {
  return run_child(child_spec{.argv = argv, .timeout_s = timeout_s, .dump_stacks = dump_stacks});
}

child_outcome run_child(const child_spec& spec) {
  const auto& argv = spec.argv;
  child_outcome r;
  auto t0 = clock_type::now();
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env = merged_environment(spec.env);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int fds[2];
  if (argv.empty() || ::pipe2(fds, O_CLOEXEC) != 0) {
    r.started = false;
    r.output = argv.empty() ? "no program to run" : std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    r.started = false;
    r.output = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return r;
  }
  if (pid == 0) {  // the child: only async-signal-safe calls until exec
    ::setpgid(0, 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execvpe(args[0], args.data(), envp.data());
    const char msg[] = "run_child: cannot execute the program\n";
    [[maybe_unused]] auto w = ::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here: no race with the child's own call
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  auto seconds = [](double s) { return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s)); };
  auto deadline = t0 + seconds(spec.timeout_s);
  auto last_output = t0;
  bool open = true;
  int status = 0;
  bool reaped = false;
  while (!reaped) {
    auto now = clock_type::now();
    if (now >= deadline) {
      r.timed_out = true;
      break;
    }
    if (spec.stop && spec.stop()) {
      r.interrupted = true;
      break;
    }
    if (spec.idle_timeout_s > 0 && now >= last_output + seconds(spec.idle_timeout_s)) {
      r.timed_out = r.idle = true;
      break;
    }
    if (open) {
      pollfd p{fds[0], POLLIN, 0};
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
      ::poll(&p, 1, static_cast<int>(std::min<long long>(left + 1, 100)));
      auto before = r.output.size();
      open = drain(fds[0], r.output);
      if (r.output.size() != before) last_output = clock_type::now();
    } else {
      ::usleep(10'000);
    }
    reaped = ::waitpid(pid, &status, WNOHANG) == pid;
  }
  if (r.timed_out) {
    if (spec.dump_stacks) {
      if (gdb_available()) {
        r.stacks = all_stacks(pid);
      } else {
        r.stacks = "(gdb is not installed: no stacks; `apt-get install gdb`)\n";
      }
    }
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  } else if (r.interrupted) {
    // SIGTERM first, so that a sanitizer or valgrind can still write what it has.
    ::kill(-pid, SIGTERM);
    for (int i = 0; i < 100 && !reaped; ++i) {
      drain(fds[0], r.output);
      ::usleep(10'000);
      reaped = ::waitpid(pid, &status, WNOHANG) == pid;
    }
    ::kill(-pid, SIGKILL);  // the group: whatever the child started
    if (!reaped) ::waitpid(pid, &status, 0);
  }
  drain(fds[0], r.output);
  ::close(fds[0]);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.exit_code == 127 && r.output.find("run_child: cannot execute") != std::string::npos) r.started = false;
  r.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  return r;
}

}  // namespace lab
