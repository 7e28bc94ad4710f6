// async_deadlock: two tasks await each other's results.
#include "scenarios/catalog.h"
#include "scenarios/loop_service.h"

namespace lab::scenarios {
namespace {

struct startup {
  std::optional<task_handle<int>> config, cache;
};

/// A service starts two components concurrently. The config loader wants the cache warm before
/// it validates the settings; the cache needs the config to know what to warm. Broken: each
/// awaits the other's task - neither can finish, and the loop, with nothing ready and no timer
/// set, waits for ever. Fixed: the config loads on its own; the cache awaits the config.
template <bool Cyclic>
task<int> load_config(startup& s) {
  co_await lab::sleep(2ms);  // read the file
  if constexpr (Cyclic) co_await *s.cache;  // validate against the warm cache
  co_return 1;
}

task<int> warm_cache(startup& s) {
  int config = co_await *s.config;  // which keys to warm
  co_await lab::sleep(3ms);
  co_return config + 1;
}

template <bool Cyclic>
void run() {
  lab::event_loop loop{"service"};
  startup s;
  int ready = loop.run([](startup& st) -> task<int> {
    auto* here = co_await lab::this_loop();
    st.config = here->spawn(load_config<Cyclic>(st));
    st.cache = here->spawn(warm_cache(st));
    co_return co_await *st.config + co_await *st.cache;
  }(s));
  lab::assert_that(ready == 3, "both components started");
}

}  // namespace

void add_async_deadlock(std::vector<scenario>& out) {
  constexpr std::string_view mode = "deadlock: tasks waiting for each other";
  out.push_back({"async_deadlock", "broken", mode, verdict::deadlock,
                 "the config loader awaits the cache, the cache awaits the config", &run<true>});
  out.push_back({"async_deadlock", "fixed", mode, verdict::clean,
                 "the config loads on its own; only the cache awaits", &run<false>});
}

}  // namespace lab::scenarios
