// pool_deadlock, fixed: a task never blocks on the pool it runs in; it renders the thumbnail
// itself.
#include "harness/exercise.h"

namespace {
int render_thumbnail(int page) { return page * 10; }
}  // namespace

LAB_EXERCISE(pool_deadlock) {
  lab::thread_pool pool{2, "pool"};
  auto render = [&](int page) {
    int thumb = render_thumbnail(page);  // inline: nothing to wait for
    return page + thumb;
  };
  auto a = pool.submit([&] { return render(1); });
  auto b = pool.submit([&] { return render(2); });
  lab::assert_that(a.get() == 11 && b.get() == 22, "both documents rendered");
}
