// pool_deadlock: two documents are rendered on a pool of two workers; each render task renders
// a thumbnail as a subtask on the same pool and waits for it.
#include "harness/exercise.h"

namespace {
int render_thumbnail(int page) { return page * 10; }
}  // namespace

LAB_EXERCISE(pool_deadlock) {
  lab::thread_pool pool{2, "pool"};
  auto render = [&](int page) {
    auto sub = pool.submit([page] { return render_thumbnail(page); });
    int thumb = sub.get();  // a worker waits for work only a worker can do
    return page + thumb;
  };
  auto a = pool.submit([&] { return render(1); });
  auto b = pool.submit([&] { return render(2); });
  lab::assert_that(a.get() == 11 && b.get() == 22, "both documents rendered");
}
