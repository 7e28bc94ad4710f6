#include "harness/sync/process.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "harness/sync/thread.h"

namespace lab {

int process::wait(std::source_location loc) {
  if (sim_ != no_thread) {
    detail::sim_join(std::exchange(sim_, no_thread), generation_, loc);
    return 0;
  }
  if (pid_ <= 0) throw std::system_error(std::make_error_code(std::errc::no_child_process), "process::wait");
  return detail::native_wait_process(std::exchange(pid_, -1));
}

namespace detail {
int native_fork() {
  std::fflush(nullptr);  // or the child writes the parent's buffered output a second time
  int pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  return pid;
}

int native_wait_process(int pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
}  // namespace detail

}  // namespace lab
