#include "harness/runtime/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/context/detail/fcontext.hpp>
#include <cstdlib>
#include <new>

#include "harness/runtime/sanitizer_build.h"

#if CONLAB_TSAN
extern "C" {
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
}
#endif
#if CONLAB_ASAN
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, std::size_t size);
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old, std::size_t* size_old);
void __asan_unpoison_memory_region(void const volatile* addr, std::size_t size);
}
#endif

namespace lab::rt {
namespace ctx = boost::context::detail;

namespace {

// Every jump passes the fiber it enters; that fiber's `resumed_from` names the one that left,
// whose context the entered side stores. Nothing is passed on the leaving fiber's stack: under
// ASan with detect_stack_use_after_return (clang's default since LLVM 15) a local lives on the
// fake stack, which an exiting fiber's __sanitizer_start_switch_fiber(nullptr, ...) destroys
// before the entered side could read it.
//
// `first`: the fiber starts afresh, so it has no fake stack of its own to restore (ASan's
// contract for __sanitizer_finish_switch_fiber).
void after_resume(ctx::transfer_t t, [[maybe_unused]] bool first) {
  auto* self = static_cast<fiber*>(t.data);
  fiber* from = self->resumed_from;
  from->ctx = t.fctx;
#if CONLAB_ASAN
  __sanitizer_finish_switch_fiber(first ? nullptr : self->asan_fake, &from->asan_bottom, &from->asan_size);
#endif
}

void trampoline(ctx::transfer_t t) {
  auto* self = static_cast<fiber*>(t.data);
  after_resume(t, true);
  self->entry();
  std::abort();  // entry functions leave with a final fiber_switch and never return
}

}  // namespace

stack_pool::~stack_pool() {
  long page = sysconf(_SC_PAGESIZE);
  for (auto& s : stacks_)
    if (s.base) munmap(static_cast<char*>(s.base) - page, s.size + static_cast<std::size_t>(page));
}

stack stack_pool::get(std::size_t i) {
  if (i < stacks_.size() && stacks_[i].base) return stacks_[i];
  if (i >= stacks_.size()) stacks_.resize(i + 1);
  auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::size_t size = (size_ + page - 1) / page * page;
  void* p = mmap(nullptr, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  mprotect(p, page, PROT_NONE);  // guard page: a stack overflow faults instead of corrupting
  stacks_[i] = stack{static_cast<char*>(p) + page, size};
  return stacks_[i];
}

void fiber_start(fiber& f) {
#if CONLAB_ASAN
  // The stack is reused: a fiber that left for good never unpoisoned its frames' redzones.
  __asan_unpoison_memory_region(f.stk.base, f.stk.size);
#endif
  void* top = static_cast<char*>(f.stk.base) + f.stk.size;
  f.ctx = ctx::make_fcontext(top, f.stk.size, trampoline);
}

void fiber_switch(fiber& from, fiber& to, [[maybe_unused]] bool exiting) {
  to.resumed_from = &from;
#if CONLAB_TSAN
  __tsan_switch_to_fiber(to.tsan, 0);
#endif
#if CONLAB_ASAN
  const void* bottom = to.stk.base ? to.stk.base : to.asan_bottom;
  std::size_t size = to.stk.base ? to.stk.size : to.asan_size;
  __sanitizer_start_switch_fiber(exiting ? nullptr : &from.asan_fake, bottom, size);
#endif
  ctx::transfer_t t = ctx::jump_fcontext(to.ctx, &to);
  after_resume(t, false);
}

void fiber_attach_sanitizers([[maybe_unused]] fiber& f, [[maybe_unused]] bool is_os_thread) {
#if CONLAB_TSAN
  if (!f.tsan) f.tsan = is_os_thread ? __tsan_get_current_fiber() : __tsan_create_fiber(0);
#endif
}

void fiber_detach_sanitizers([[maybe_unused]] fiber& f) {
#if CONLAB_TSAN
  if (f.tsan && f.stk.base) __tsan_destroy_fiber(f.tsan);
  f.tsan = nullptr;
#endif
}

}  // namespace lab::rt
