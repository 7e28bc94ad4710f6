// The user-facing API in one include: lab primitives for code under test.
//
//   #include "harness/lab.h"
//   lab::shared<int> x{0, "x"};
//   lab::mutex m;
//   lab::thread t([&] { lab::lock_guard g(m); x = x + 1; });
//   t.join();
#pragma once

#include "harness/sync/atomic.h"
#include "harness/sync/call_once.h"
#include "harness/sync/condition_variable.h"
#include "harness/sync/gil.h"
#include "harness/sync/process_pool.h"
#include "harness/sync/mutex.h"
#include "harness/sync/process.h"
#include "harness/sync/semaphore.h"
#include "harness/sync/shared_mutex.h"
#include "harness/sync/shared.h"
#include "harness/sync/thread.h"
#include "harness/sync/thread_pool.h"
#include "harness/loop/async_sync.h"
#include "harness/loop/event_loop.h"
