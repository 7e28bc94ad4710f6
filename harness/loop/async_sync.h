// asyncio's synchronization primitives for lab::task coroutines: Lock, Event, Semaphore, Queue.
//
//   lab::async_queue<int> q(2);                 // asyncio.Queue(maxsize=2)
//   co_await q.put(7);                          // suspends the task while the queue is full
//   int v = co_await q.get();                   // suspends the task while it is empty
//
// Terms: a task *parks* on a primitive when it must wait; the primitive later *hands* what it
// guards straight to the longest-parked task (the lock, a permit, an item, a free slot), so a
// task that arrives meanwhile cannot barge in: FIFO, as asyncio's are. All of them park on one
// wait list (detail::async_waitlist).
//
// Cancellation (task_handle::cancel, task_group): a parked task leaves the wait list at once and
// gets lab::cancelled_error. A task cancelled after something was handed to it but before it
// resumed passes it on (the lock and permits to the next waiter, an item back to the front of
// the queue), so cancellation never loses a lock, a permit or an item. A put whose item already
// went in stands; the cancellation then arrives at the task's next await.
//
// Thread-safety: loop thread only, like asyncio's (plain state: touching one from another
// thread is a data race; use event_loop::call_soon_threadsafe). Waits on them are not
// scheduling points of their own: the loop's choice of which ready task resumes next is.
#pragma once

#include <coroutine>
#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <utility>

#include "harness/loop/event_loop.h"
#include "harness/sync/object.h"

namespace lab {

namespace detail {

/// An async primitive's identity in the sim backend (M, S, E or Q in reports), shared by its
/// wait lists. Its events name the Task they are about as their object: the primitive is `arg`.
struct async_identity {
  async_identity(object_kind k, const char* name, std::source_location at) : kind(k) {
    sim.name = name;
    sim.declared_at = at;
  }
  sim_identity sim;
  object_kind kind;
  /// Emits `what` (coro_waits, coro_acquired, coro_released) about Task `who` and this primitive,
  /// registering the primitive in the running execution first; nothing outside one.
  void emit(op what, const task_state* who, std::source_location loc);
  void emit(op what, const coro_identity& who, std::source_location loc);
};

/// The wait list every async primitive parks tasks on (Boost.Fiber's wait_queue, for
/// coroutines). FIFO. Each parked task may leave a `slot`: where a hand-over is written before
/// it is made ready (the awaiter, which lives in the parked coroutine's frame).
class async_waitlist final : public parking {
 public:
  struct waiter {
    std::coroutine_handle<> h;
    task_state* in = nullptr;
    event_loop* loop = nullptr;
    void* slot = nullptr;
    std::source_location loc{};  ///< the await
  };
  explicit async_waitlist(async_identity* owner) : owner_(owner) {}
  async_waitlist(const async_waitlist&) = delete;
  async_waitlist& operator=(const async_waitlist&) = delete;
  ~async_waitlist();

  /// Parks the coroutine `h` (of a Task on an event loop) and returns that Task; throws
  /// std::logic_error otherwise. Emits coro_waits at `loc` (the user's await): a deadlock
  /// report names the primitive and the line.
  template <class P>
  task_state* park(std::coroutine_handle<P> h, void* slot, std::source_location loc) {
    return park_handle(h, static_cast<promise_base&>(h.promise()), slot, loc);
  }
  /// The Task the longest-parked waiter belongs to (the list must not be empty).
  task_state* front_task() const { return q_.front().in; }
  /// Where the longest-parked waiter awaits (the list must not be empty).
  std::source_location front_loc() const { return q_.front().loc; }
  bool empty() const noexcept { return q_.empty(); }
  std::size_t size() const noexcept { return q_.size(); }
  /// The longest-parked waiter's slot (the list must not be empty).
  void* front_slot() const { return q_.front().slot; }
  /// Makes the longest-parked waiter ready and removes it (the list must not be empty).
  void wake_one();
  /// Makes every waiter ready, in order.
  void wake_all();
  void withdraw(task_state& s) override;

 private:
  task_state* park_handle(std::coroutine_handle<> h, promise_base& p, void* slot, std::source_location loc);
  async_identity* owner_;
  std::deque<waiter> q_;
};


}  // namespace detail

/// asyncio.Lock: `co_await m.lock()` suspends the task (not the thread) until the lock is free;
/// unlock() hands it to the longest waiter. The sim backend records which Task holds it and
/// where it took it, so that a deadlock between tasks names the holder.
class async_mutex {
 public:
  explicit async_mutex(const char* name = nullptr, std::source_location at = std::source_location::current())
      : ident_(object_kind::async_mutex, name, at) {}
  struct lock_awaiter {
    async_mutex* m;
    std::source_location loc;
    detail::task_state* in = nullptr;
    bool granted = false;  ///< slot: written by the unlock that hands the lock over
    bool await_ready() const noexcept { return false; }
    /// Takes a free lock without suspending (false: resume at once); parks otherwise.
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) {
      if ((granted = m->try_lock())) {
        m->took(static_cast<detail::promise_base&>(h.promise()).state, loc);
        return false;
      }
      in = m->waiters_.park(h, &granted, loc);
      return true;
    }
    void await_resume() {
      if (detail::take_cancel(in)) {
        if (granted) m->unlock();
        throw cancelled_error();
      }
    }
  };
  lock_awaiter lock(std::source_location loc = std::source_location::current()) { return {this, loc}; }
  /// Takes the lock if it is free and nobody is parked for it.
  bool try_lock() noexcept;
  /// Hands the lock to the longest waiter, or frees it. Throws std::logic_error when it is not
  /// locked (asyncio's RuntimeError "Lock is not acquired").
  void unlock(std::source_location loc = std::source_location::current());
  bool locked() const noexcept { return locked_; }

 private:
  void took(detail::task_state* who, std::source_location loc);
  bool locked_ = false;
  detail::async_identity ident_;
  detail::async_waitlist waiters_{&ident_};
  detail::coro_identity holder_;  ///< the Task that holds it (sim events only)
};

/// asyncio.Semaphore: `co_await s.acquire()` takes a permit, suspending the task while there
/// are none; release() hands a permit to the longest waiter or returns it.
class async_semaphore {
 public:
  explicit async_semaphore(std::size_t permits, const char* name = nullptr,
                           std::source_location at = std::source_location::current())
      : count_(permits), ident_(object_kind::async_semaphore, name, at) {}
  struct acquire_awaiter {
    async_semaphore* s;
    std::source_location loc;
    detail::task_state* in = nullptr;
    bool granted = false;  ///< slot: written by the release that hands a permit over
    bool await_ready() noexcept { return granted = s->try_acquire(); }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = s->waiters_.park(h, &granted, loc);
    }
    void await_resume() {
      if (detail::take_cancel(in)) {
        if (granted) s->release();
        throw cancelled_error();
      }
    }
  };
  acquire_awaiter acquire(std::source_location loc = std::source_location::current()) { return {this, loc}; }
  bool try_acquire() noexcept;
  void release();
  /// No permit is free (asyncio's Semaphore.locked()).
  bool locked() const noexcept { return count_ == 0; }
  std::size_t available() const noexcept { return count_; }

 private:
  std::size_t count_;
  detail::async_identity ident_;
  detail::async_waitlist waiters_{&ident_};
};

/// asyncio.Event: wait() suspends the task until the flag is set; set() wakes every waiter.
class async_event {
 public:
  explicit async_event(const char* name = nullptr, std::source_location at = std::source_location::current())
      : ident_(object_kind::async_event, name, at) {}
  struct wait_awaiter {
    async_event* e;
    std::source_location loc;
    detail::task_state* in = nullptr;
    bool await_ready() const noexcept { return e->set_; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = e->waiters_.park(h, nullptr, loc);
    }
    void await_resume() {
      if (detail::take_cancel(in)) throw cancelled_error();
    }
  };
  wait_awaiter wait(std::source_location loc = std::source_location::current()) { return {this, loc}; }
  void set();
  void clear() noexcept { set_ = false; }
  bool is_set() const noexcept { return set_; }

 private:
  bool set_ = false;
  detail::async_identity ident_;
  detail::async_waitlist waiters_{&ident_};
};

/// asyncio.QueueFull / asyncio.QueueEmpty, thrown by put_nowait / get_nowait.
struct queue_full : std::runtime_error {
  queue_full() : std::runtime_error("lab::async_queue is full") {}
};
struct queue_empty : std::runtime_error {
  queue_empty() : std::runtime_error("lab::async_queue is empty") {}
};

/// asyncio.Queue: FIFO; `maxsize` 0 means unbounded. get() suspends the task while the queue is
/// empty, put() while it is full; an item goes straight to the longest-waiting getter, and a
/// get makes room for the longest-waiting putter. task_done()/join() count unfinished items.
template <class T>
class async_queue {
 public:
  explicit async_queue(std::size_t maxsize = 0, const char* name = nullptr,
                       std::source_location at = std::source_location::current())
      : maxsize_(maxsize), ident_(object_kind::async_queue, name, at) {}

  struct put_awaiter {
    async_queue* q;
    std::optional<T> item;
    std::source_location loc;
    detail::task_state* in = nullptr;
    bool await_ready() {
      if (!q->try_put(*item)) return false;
      item.reset();
      return true;
    }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = q->putters_.park(h, this, loc);
    }
    void await_resume() {
      // Still holding its item: it was withdrawn, not served.
      if (item && detail::take_cancel(in)) throw cancelled_error();
    }
  };
  struct get_awaiter {
    async_queue* q;
    std::source_location loc;
    std::optional<T> value;  ///< slot: written by the put that hands an item over
    detail::task_state* in = nullptr;
    bool await_ready() {
      value = q->try_get();
      return value.has_value();
    }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = q->getters_.park(h, &value, loc);
    }
    T await_resume() {
      if (detail::take_cancel(in)) {
        if (value) q->give_back(std::move(*value));
        throw cancelled_error();
      }
      return std::move(*value);
    }
  };
  struct join_awaiter {
    async_queue* q;
    std::source_location loc;
    detail::task_state* in = nullptr;
    bool await_ready() const noexcept { return q->unfinished_ == 0; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = q->joiners_.park(h, nullptr, loc);
    }
    void await_resume() {
      if (detail::take_cancel(in)) throw cancelled_error();
    }
  };

  put_awaiter put(T item, std::source_location loc = std::source_location::current()) {
    return {this, std::move(item), loc};
  }
  get_awaiter get(std::source_location loc = std::source_location::current()) { return {this, loc}; }
  /// Throws lab::queue_full when the queue is full.
  void put_nowait(T item) {
    if (!try_put(item)) throw queue_full();
  }
  /// Throws lab::queue_empty when the queue is empty.
  T get_nowait() {
    std::optional<T> v = try_get();
    if (!v) throw queue_empty();
    return std::move(*v);
  }
  /// One item taken by get() is processed; join() waits until every item put was.
  void task_done() {
    if (unfinished_ == 0) throw std::logic_error("lab::async_queue::task_done called too many times");
    if (--unfinished_ == 0) joiners_.wake_all();
  }
  join_awaiter join(std::source_location loc = std::source_location::current()) { return {this, loc}; }

  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  bool full() const noexcept { return maxsize_ != 0 && items_.size() >= maxsize_; }

 private:
  /// Puts `item` (moved from on success): to a parked getter, else into the queue if there is
  /// room. False when full.
  bool try_put(T& item) {
    if (!getters_.empty()) {
      *static_cast<std::optional<T>*>(getters_.front_slot()) = std::move(item);
      getters_.wake_one();
    } else if (full()) {
      return false;
    } else {
      items_.push_back(std::move(item));
    }
    ++unfinished_;
    return true;
  }
  /// Takes the front item, and lets the longest-parked putter's item in behind.
  std::optional<T> try_get() {
    if (items_.empty()) return std::nullopt;
    std::optional<T> v(std::move(items_.front()));
    items_.pop_front();
    if (!putters_.empty()) {
      auto* p = static_cast<put_awaiter*>(putters_.front_slot());
      items_.push_back(std::move(*p->item));
      p->item.reset();
      ++unfinished_;
      putters_.wake_one();
    }
    return v;
  }
  /// An item handed to a getter that was cancelled before it resumed: back to the front.
  void give_back(T item) {
    --unfinished_;  // counted again by the put below
    if (!getters_.empty()) {
      T copy = std::move(item);
      try_put(copy);
      return;
    }
    items_.push_front(std::move(item));
    ++unfinished_;
  }

  std::size_t maxsize_;
  std::size_t unfinished_ = 0;
  std::deque<T> items_;
  detail::async_identity ident_;
  detail::async_waitlist getters_{&ident_}, putters_{&ident_}, joiners_{&ident_};
};

}  // namespace lab
