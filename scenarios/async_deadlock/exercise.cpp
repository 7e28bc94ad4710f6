// async_deadlock: a service starts two components concurrently, as two tasks. The config loader
// wants the cache warm before it validates the settings; the cache needs the config to know
// what to warm. Each awaits the other's task.
#include <chrono>
#include <optional>

#include "harness/exercise.h"

using namespace std::chrono_literals;

namespace {

struct startup {
  std::optional<lab::task_handle<int>> config, cache;
};

lab::task<int> load_config(startup& s) {
  co_await lab::sleep(2ms);  // read the file
  co_await *s.cache;         // validate against the warm cache
  co_return 1;
}

lab::task<int> warm_cache(startup& s) {
  int config = co_await *s.config;  // which keys to warm
  co_await lab::sleep(3ms);
  co_return config + 1;
}

}  // namespace

LAB_EXERCISE(async_deadlock) {
  lab::event_loop loop{"service"};
  startup s;
  int ready = loop.run([](startup& st) -> lab::task<int> {
    auto* here = co_await lab::this_loop();
    st.config = here->spawn(load_config(st));
    st.cache = here->spawn(warm_cache(st));
    co_return co_await *st.config + co_await *st.cache;
  }(s));
  lab::assert_that(ready == 3, "both components started");
}
