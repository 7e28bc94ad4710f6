// writer_starvation, fixed: a task-fair rwlock - readers that arrive after a waiting writer queue
// behind it, so the writer gets in once the readers inside leave.
#include "harness/exercise.h"

LAB_EXERCISE(writer_starvation) {
  lab::shared_mutex table_lock{lab::rw_policy::fair, "table_lock"};
  lab::shared<int> version{1, "version"};
  auto reader = [&] {
    for (int i = 0; i < 40; ++i) {
      lab::shared_lock hold(table_lock);
      (void)version.load();
      lab::this_thread::yield();  // the lookup takes a while
    }
  };
  lab::thread r1(reader), r2(reader), r3(reader);
  lab::thread writer([&] {
    lab::lock_guard hold(table_lock);
    version = 2;
  });
  r1.join();
  r2.join();
  r3.join();
  writer.join();
}
