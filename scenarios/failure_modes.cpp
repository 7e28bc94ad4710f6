#include "scenarios/failure_modes.h"

namespace lab {

namespace {
// The four source documents, cited by author and title (docs/sources.md lists them in full).
constexpr std::string_view d000 = "Ogunnowo, Handling Concurrency in Python";
constexpr std::string_view d001 = "An Introduction to Python's Concurrency Models";
constexpr std::string_view d002 = "Understanding Python Concurrency";
constexpr std::string_view d003 = "Tyika, Conquering the Chaos of Concurrent Programming in Python";
}  // namespace

const std::vector<std::string_view>& source_documents() {
  static const std::vector<std::string_view> all = {d000, d001, d002, d003};
  return all;
}

const std::vector<failure_mode>& failure_modes() {
  static const std::vector<failure_mode> all = {
      {1, "data race / lost update on shared memory",
       {{d000, "Threads share the same memory space, which can lead to data races if not managed correctly"},
        {d003, "race conditions, where multiple tasks attempt to modify shared resources simultaneously"}},
       "data_race"},
      {2, "races without threads: atomicity across an await",
       {{d000, "No need for locks to prevent data races"}},
       "assertion_failed"},
      {3, "deadlock: tasks waiting for each other",
       {{d003, "two or more tasks are blocked indefinitely, waiting for each other to release resources"},
        {d000, "Potential for data races and deadlocks"}},
       "deadlock"},
      {4, "lost wakeup", {{d000, "careful management of shared resources"}}, "lost_wakeup"},
      {5, "starvation",
       {{d002, "causing long-running tasks to monopolize CPU resources"},
        {d002, "Mixing long-running and short-running tasks can lead to significant performance degradations"}},
       "starvation"},
      {6, "blocking the event loop",
       {{d003, "A single operation can block the entire program"},
        {d000, "Not suitable for CPU-bound tasks"},
        {d002, "requiring developers to ensure all components are non-blocking"}},
       "loop_stall"},
      {7, "task management errors",
       {{d003, "real-world scenarios often require more sophisticated error handling and task management"},
        {d002, "risking incorrect implementations"}},
       "task_exception_lost / never_awaited"},
      {8, "mixing threads and an event loop",
       {{d000, "when combining concurrency models, like threading with asyncio, it's crucial to carefully manage the "
               "event loop to avoid conflicts"}},
       "data_race"},
      {9, "the GIL: no parallel speed-up, convoy effect",
       {{d001, "threading provides concurrency but not parallelism"},
        {d002, "The GIL ... preventing true parallelism ... affecting overall application responsiveness"}},
       "starvation / measured slowdown"},
      {10, "process overhead and IPC cost",
       {{d001, "Processes have higher startup overhead than threads, and sharing data between them is more complex"},
        {d003, "inter-process communication can introduce overhead"}},
       "measured slowdown / timeout"},
      {11, "debugging is hard",
       {{d003, "Logging, tracing, and efficient debugging techniques are indispensable"}},
       ""},
      {12, "the wrong memory order",
       {{d000, "Threads share the same memory space, which can lead to data races if not managed correctly"}},
       "data_race / assertion_failed", true},
  };
  return all;
}

const failure_mode* find_failure_mode(std::string_view title) {
  for (const auto& m : failure_modes())
    if (m.title == title) return &m;
  return nullptr;
}

std::vector<const scenario*> variants_of(const failure_mode& m) {
  std::vector<const scenario*> out;
  for (const auto& s : catalog())
    if (s.failure_mode == m.title) out.push_back(&s);
  return out;
}

}  // namespace lab
