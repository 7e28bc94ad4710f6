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

namespace lab {

namespace detail {

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
  };
  async_waitlist() = default;
  async_waitlist(const async_waitlist&) = delete;
  async_waitlist& operator=(const async_waitlist&) = delete;
  ~async_waitlist();

  /// Parks the coroutine `h` (of a Task on an event loop) and returns that Task; throws
  /// std::logic_error otherwise.
  template <class P>
  task_state* park(std::coroutine_handle<P> h, void* slot) {
    return park_handle(h, static_cast<promise_base&>(h.promise()), slot);
  }
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
  task_state* park_handle(std::coroutine_handle<> h, promise_base& p, void* slot);
  std::deque<waiter> q_;
};

}  // namespace detail

/// asyncio.Lock: `co_await m.lock()` suspends the task (not the thread) until the lock is free;
/// unlock() hands it to the longest waiter.
class async_mutex {
 public:
  struct lock_awaiter {
    async_mutex* m;
    detail::task_state* in = nullptr;
    bool granted = false;  ///< slot: written by the unlock that hands the lock over
    bool await_ready() noexcept { return granted = m->try_lock(); }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = m->waiters_.park(h, &granted);
    }
    void await_resume() {
      if (detail::take_cancel(in)) {
        if (granted) m->unlock();
        throw cancelled_error();
      }
    }
  };
  lock_awaiter lock() { return {this}; }
  /// Takes the lock if it is free and nobody is parked for it.
  bool try_lock() noexcept;
  /// Hands the lock to the longest waiter, or frees it. Throws std::logic_error when it is not
  /// locked (asyncio's RuntimeError "Lock is not acquired").
  void unlock();
  bool locked() const noexcept { return locked_; }

 private:
  bool locked_ = false;
  detail::async_waitlist waiters_;
};

/// asyncio.Semaphore: `co_await s.acquire()` takes a permit, suspending the task while there
/// are none; release() hands a permit to the longest waiter or returns it.
class async_semaphore {
 public:
  explicit async_semaphore(std::size_t permits) : count_(permits) {}
  struct acquire_awaiter {
    async_semaphore* s;
    detail::task_state* in = nullptr;
    bool granted = false;  ///< slot: written by the release that hands a permit over
    bool await_ready() noexcept { return granted = s->try_acquire(); }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = s->waiters_.park(h, &granted);
    }
    void await_resume() {
      if (detail::take_cancel(in)) {
        if (granted) s->release();
        throw cancelled_error();
      }
    }
  };
  acquire_awaiter acquire() { return {this}; }
  bool try_acquire() noexcept;
  void release();
  /// No permit is free (asyncio's Semaphore.locked()).
  bool locked() const noexcept { return count_ == 0; }
  std::size_t available() const noexcept { return count_; }

 private:
  std::size_t count_;
  detail::async_waitlist waiters_;
};

/// asyncio.Event: wait() suspends the task until the flag is set; set() wakes every waiter.
class async_event {
 public:
  struct wait_awaiter {
    async_event* e;
    detail::task_state* in = nullptr;
    bool await_ready() const noexcept { return e->set_; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = e->waiters_.park(h, nullptr);
    }
    void await_resume() {
      if (detail::take_cancel(in)) throw cancelled_error();
    }
  };
  wait_awaiter wait() { return {this}; }
  void set();
  void clear() noexcept { set_ = false; }
  bool is_set() const noexcept { return set_; }

 private:
  bool set_ = false;
  detail::async_waitlist waiters_;
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
  explicit async_queue(std::size_t maxsize = 0) : maxsize_(maxsize) {}

  struct put_awaiter {
    async_queue* q;
    std::optional<T> item;
    detail::task_state* in = nullptr;
    bool await_ready() {
      if (!q->try_put(*item)) return false;
      item.reset();
      return true;
    }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = q->putters_.park(h, this);
    }
    void await_resume() {
      // Still holding its item: it was withdrawn, not served.
      if (item && detail::take_cancel(in)) throw cancelled_error();
    }
  };
  struct get_awaiter {
    async_queue* q;
    std::optional<T> value;  ///< slot: written by the put that hands an item over
    detail::task_state* in = nullptr;
    bool await_ready() {
      value = q->try_get();
      return value.has_value();
    }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = q->getters_.park(h, &value);
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
    detail::task_state* in = nullptr;
    bool await_ready() const noexcept { return q->unfinished_ == 0; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) {
      in = q->joiners_.park(h, nullptr);
    }
    void await_resume() {
      if (detail::take_cancel(in)) throw cancelled_error();
    }
  };

  put_awaiter put(T item) { return {this, std::move(item)}; }
  get_awaiter get() { return {this}; }
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
  join_awaiter join() { return {this}; }

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
  detail::async_waitlist getters_, putters_, joiners_;
};

}  // namespace lab
