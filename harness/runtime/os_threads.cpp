// OS threads started inside an execution: noticed, so that no verdict passes over code the lab
// neither schedules nor sees (a std::thread racing on a plain int inside lab::model).
//
// pthread_create - what std::thread, std::async and every thread library end in - is interposed:
// the definition here is found before libc's (the executable exports it, since libstdc++ refers
// to it), tells the execution running on the calling OS thread, if any, and starts the thread
// with libc's. Outside an execution (the native backend, the explorer's own workers, the user's
// program outside lab::model) it only forwards. Not in the sanitizer builds: their runtimes
// interpose pthread_create themselves, and two interposers of one symbol is one too many.
#include "harness/runtime/execution.h"
#include "harness/runtime/sanitizer_build.h"

#if !CONLAB_TSAN && !CONLAB_ASAN
#include <dlfcn.h>
#include <pthread.h>

extern "C" int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg) {
  using real_fn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  static const real_fn real = reinterpret_cast<real_fn>(dlsym(RTLD_NEXT, "pthread_create"));
  if (auto* ex = lab::rt::execution::current()) ex->os_thread_started();
  return real(thread, attr, start, arg);
}
#endif

namespace lab::rt {
bool os_threads_noticed() { return !CONLAB_TSAN && !CONLAB_ASAN; }
}  // namespace lab::rt
