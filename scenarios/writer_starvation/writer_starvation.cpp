// writer_starvation: readers keep a reader-preferring rwlock busy; a writer never gets in.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

/// Three readers look up a routing table over and over; one writer wants to publish an update.
/// With a reader-preferring lock, as long as some reader is inside, new readers walk in and the
/// writer waits - possibly for ever. With the task-fair policy, readers that arrive after the
/// writer queue behind it.
template <rw_policy P>
void run() {
  lab::shared_mutex table_lock{P, "table_lock"};
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

}  // namespace

void add_writer_starvation(std::vector<scenario>& out) {
  constexpr std::string_view mode = "starvation";
  out.push_back({"writer_starvation", "broken", mode, verdict::starvation,
                 "three readers loop on a reader-preferring rwlock; the writer waits", &run<rw_policy::reader_preferring>});
  out.push_back({"writer_starvation", "fixed", mode, verdict::clean,
                 "a task-fair rwlock: readers that come after the writer queue behind it", &run<rw_policy::fair>});
}

}  // namespace lab::scenarios
