#include "runtime/profiler.h"

#include <algorithm>

namespace infer::core {

Profiler::Profiler(size_t max_events)
    : events_(max_events), origin_(std::chrono::steady_clock::now()) {}

uint32_t Profiler::ThreadId() {
  std::lock_guard<std::mutex> lock(threads_mu_);
  auto [it, inserted] =
      threads_.emplace(std::this_thread::get_id(), static_cast<uint32_t>(threads_.size()));
  return it->second;
}

void Profiler::Record(const std::string* name, const std::string* category,
                      const std::string* backend, uint64_t run,
                      std::chrono::steady_clock::time_point start,
                      std::chrono::steady_clock::time_point end) {
  const size_t slot = next_.fetch_add(1, std::memory_order_relaxed);
  if (slot >= events_.size()) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  ProfileEvent& e = events_[slot];
  e.name = name;
  e.category = category;
  e.backend = backend;
  e.run = run;
  e.thread = ThreadId();
  e.start_ns = duration_cast<nanoseconds>(start - origin_).count();
  e.duration_ns = duration_cast<nanoseconds>(end - start).count();
}

std::vector<ProfileEvent> Profiler::Take(size_t* dropped) {
  const size_t n = std::min(next_.load(std::memory_order_acquire), events_.size());
  std::vector<ProfileEvent> out(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
  if (dropped != nullptr) *dropped = dropped_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace infer::core
