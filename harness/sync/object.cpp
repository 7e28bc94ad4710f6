// The native backend's process-wide state: the finding log, samples, work scale and jitter.
#include "harness/sync/object.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

namespace lab::detail {
namespace {
std::vector<finding>& native_log() {
  static std::vector<finding> log;  // guarded by native_log_mutex
  return log;
}
std::atomic<double> native_work_scale_{1.0};
std::mutex native_log_mutex;  // guards the log and the samples
sample_store& native_samples() {
  static sample_store s;
  return s;
}
}  // namespace

void native_report(finding f) {
  std::lock_guard g(native_log_mutex);
  native_log().push_back(std::move(f));
}

std::vector<finding> native_take_findings() {
  std::lock_guard g(native_log_mutex);
  return std::exchange(native_log(), {});
}

void set_native_work_scale(double factor) { native_work_scale_.store(factor < 0 ? 0 : factor); }
double native_work_scale() { return native_work_scale_.load(); }

std::atomic<std::uint32_t> native_jitter_ppm{0};

void set_native_jitter(double probability) {
  probability = std::clamp(probability, 0.0, 1.0);
  native_jitter_ppm.store(static_cast<std::uint32_t>(probability * 1e6));
}

void native_jitter_slow() {
  // xorshift64, seeded per thread from its address and a clock: runs are meant to differ.
  thread_local std::uint64_t state = [] {
    std::uint64_t s = reinterpret_cast<std::uintptr_t>(&state) ^
                      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    return s ? s : 0x9E3779B97F4A7C15ULL;
  }();
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  auto roll = static_cast<std::uint32_t>(state % 10'000'000);  // in tenths of a ppm
  std::uint32_t p = native_jitter_ppm.load(std::memory_order_relaxed);
  if (roll < p) std::this_thread::sleep_for(std::chrono::microseconds(1 + (state >> 40) % 100));
  else if (roll < 10 * p) std::this_thread::yield();
}

void native_record_sample(std::string_view name, std::uint64_t ns) {
  std::lock_guard g(native_log_mutex);
  native_samples().add(name, ns);
}

sample_store native_take_samples() {
  std::lock_guard g(native_log_mutex);
  return std::exchange(native_samples(), {});
}

}  // namespace lab::detail
