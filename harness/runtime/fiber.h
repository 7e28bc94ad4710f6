// Fibers: stacks and context switches on one OS thread. The only header that knows Boost.Context
// exists is fiber.cpp; this one exposes plain pointers so that nothing above the runtime does.
#pragma once

#include <cstddef>
#include <vector>

namespace lab::rt {

/// A fixed-size stack from mmap with a guard page below it. Owned by a stack_pool.
struct stack {
  void* base = nullptr;  ///< lowest usable address
  std::size_t size = 0;
};

/// One execution context: the OS thread's own (for the explorer loop) or a fiber on a stack.
/// Contract: a fiber is started with `fiber_start`, after which `fiber_switch` may enter it; it
/// must leave with a final `fiber_switch(..., exiting = true)` and is never resumed after that
/// until it is started again. Not thread-safe: a fiber belongs to one OS thread.
struct fiber {
  void* ctx = nullptr;         ///< saved context while suspended
  fiber* resumed_from = nullptr;  ///< set by the switch into this fiber: whose context to save
  void (*entry)() = nullptr;   ///< run on first entry; must never return
  stack stk;                   ///< empty for the OS thread's own context
  void* tsan = nullptr;        ///< ThreadSanitizer fiber handle (TSan builds only)
  void* asan_fake = nullptr;   ///< AddressSanitizer fake-stack save slot (ASan builds only)
  const void* asan_bottom = nullptr;  ///< stack bounds for ASan, learnt for the OS thread's own
  std::size_t asan_size = 0;
};

/// Stacks kept for the life of the pool: slot i is handed out again for the i-th thread of every
/// execution, so steady-state executions allocate no stacks. Cost: one mmap per slot, once.
class stack_pool {
 public:
  explicit stack_pool(std::size_t stack_size = 256 * 1024) : size_(stack_size) {}
  stack_pool(const stack_pool&) = delete;
  stack_pool& operator=(const stack_pool&) = delete;
  ~stack_pool();
  /// The stack of slot `i`, mapped on first use.
  stack get(std::size_t i);

 private:
  std::size_t size_;
  std::vector<stack> stacks_;
};

/// Makes `f` (with f.stk and f.entry set) enterable; its first entry runs f.entry().
void fiber_start(fiber& f);

/// Suspends `from` (the running context) and runs `to`. Returns when something switches back to
/// `from`. With `exiting`, `from` is finished and will not be resumed (its stack may be reused).
void fiber_switch(fiber& from, fiber& to, bool exiting = false);

/// Sets up and releases sanitizer bookkeeping for a pool slot's fiber / the OS thread's context.
void fiber_attach_sanitizers(fiber& f, bool is_os_thread);
void fiber_detach_sanitizers(fiber& f);

}  // namespace lab::rt
