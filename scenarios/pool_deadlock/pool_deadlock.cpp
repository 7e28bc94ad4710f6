// pool_deadlock: a task in a saturated pool submits a subtask to the same pool and waits for it.
#include "harness/lab.h"
#include "scenarios/catalog.h"

namespace lab::scenarios {
namespace {

int render_thumbnail(int page) { return page * 10; }

/// Two documents are rendered on a pool of two workers; each render task renders a thumbnail
/// as a subtask. Broken: the subtask goes to the same pool and the render task blocks on it -
/// when both workers are busy rendering, the thumbnails wait in the queue behind them forever.
/// Fixed: a task never blocks on the pool it runs in; it renders the thumbnail itself.
template <bool BlockInsidePool>
void run() {
  lab::thread_pool pool{2, "pool"};
  auto render = [&](int page) {
    int thumb = 0;
    if constexpr (BlockInsidePool) {
      auto sub = pool.submit([page] { return render_thumbnail(page); });
      thumb = sub.get();  // a worker waits for work only a worker can do
    } else {
      thumb = render_thumbnail(page);
    }
    return page + thumb;
  };
  auto a = pool.submit([&] { return render(1); });
  auto b = pool.submit([&] { return render(2); });
  lab::assert_that(a.get() == 11 && b.get() == 22, "both documents rendered");
}

}  // namespace

void add_pool_deadlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"pool_deadlock", "broken", mode, verdict::deadlock,
                 "tasks in a 2-worker pool block on subtasks queued behind them", &run<true>});
  out.push_back({"pool_deadlock", "fixed", mode, verdict::clean, "no blocking inside the pool: the subtask runs inline",
                 &run<false>});
}

}  // namespace lab::scenarios
