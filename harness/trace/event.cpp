#include "harness/trace/event.h"

#include <string>

namespace lab {

std::string_view to_string(atomic_order o) {
  switch (o) {
    case atomic_order::seq_cst: return "seq_cst";
    case atomic_order::relaxed: return "relaxed";
    case atomic_order::acquire: return "acquire";
    case atomic_order::release: return "release";
    case atomic_order::acq_rel: return "acq_rel";
  }
  return "seq_cst";
}

std::string_view to_string(op o) {
  switch (o) {
    case op::thread_start: return "start";
    case op::thread_spawn: return "spawn";
    case op::thread_finish: return "finish";
    case op::join_blocked: return "join (blocked)";
    case op::thread_join: return "join";
    case op::lock_blocked: return "lock (blocked)";
    case op::lock_acquired: return "lock";
    case op::try_lock_failed: return "try_lock (failed)";
    case op::unlock: return "unlock";
    case op::mutex_destroyed: return "destroy";
    case op::cv_wait: return "wait";
    case op::cv_woken: return "woken";
    case op::cv_notify_one: return "notify_one";
    case op::cv_notify_all: return "notify_all";
    case op::atomic_load: return "load";
    case op::atomic_store: return "store";
    case op::atomic_rmw: return "rmw";
    case op::read: return "read";
    case op::write: return "write";
    case op::yield: return "yield";
    case op::sleep: return "sleep";
    case op::assertion: return "assert";
    case op::sem_blocked: return "acquire (blocked)";
    case op::sem_acquired: return "acquire";
    case op::sem_released: return "release";
    case op::shared_blocked: return "lock_shared (blocked)";
    case op::shared_acquired: return "lock_shared";
    case op::shared_unlock: return "unlock_shared";
    case op::work: return "work";
    case op::task_queued: return "submit";
    case op::task_started: return "run task";
    case op::task_done: return "task done";
    case op::coro_created: return "create task";
    case op::coro_scheduled: return "spawn task";
    case op::coro_awaited: return "await task";
    case op::coro_resumed: return "resume";
    case op::coro_suspended: return "suspend";
    case op::coro_retrieved: return "retrieve result";
    case op::coro_dropped: return "drop task";
    case op::coro_waits: return "await (blocked)";
    case op::coro_orphaned: return "orphaned";
    case op::over_budget: return "over budget";
    case op::process_fork: return "fork";
    case op::lock_inherited: return "lock (held since the fork)";
    case op::atomic_fence: return "fence";
    case op::coro_acquired: return "acquire (task)";
    case op::coro_released: return "release (task)";
  }
  return "?";
}

std::string coroutine_name(const char* function_name) {
  // Anonymous namespaces say nothing about the name, and clang's spelling of them holds the
  // parenthesis that ends the name below: drop both compilers' spellings first.
  std::string spelled = function_name ? function_name : "";
  for (std::string_view anon : {"(anonymous namespace)::", "{anonymous}::"}) {
    for (auto at = spelled.find(anon); at != std::string::npos; at = spelled.find(anon))
      spelled.erase(at, anon.size());
  }
  std::string_view f = spelled;
  std::string_view prefix;
  // A lambda coroutine: GCC spells it "<enclosing function>::<lambda(...)>", clang
  // "<enclosing function>::(anonymous class)::operator()(...)"; name the enclosing one.
  for (std::string_view lambda_mark : {"::<lambda", "::(anonymous class)::operator()"}) {
    if (auto lambda = f.find(lambda_mark); lambda != std::string_view::npos) {
      f = f.substr(0, lambda);
      prefix = "lambda in ";
      break;
    }
  }
  std::string plain;  // without template arguments, which may hold spaces and parentheses
  int depth = 0;
  for (char c : f) {
    if (c == '<') ++depth;
    else if (c == '>' && depth > 0) --depth;
    else if (depth == 0) plain += c;
  }
  std::string_view n = plain;
  auto paren = n.find('(');
  if (paren != std::string_view::npos) n = n.substr(0, paren);
  auto space = n.rfind(' ');
  if (space != std::string_view::npos) n = n.substr(space + 1);
  auto colons = n.rfind("::");
  if (colons != std::string_view::npos) n = n.substr(colons + 2);
  if (n.empty()) return "<coroutine>";
  return std::string(prefix) + std::string(n);
}

}  // namespace lab
