#include "runtime/profiler.h"

#include <algorithm>

namespace infer::core {

namespace {
const std::string kNodeCategory = "node";
}

const std::string& ProfileNames::Intern(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(name).first;
  return *it;
}

Profiler::Profiler(size_t max_events, std::shared_ptr<ProfileNames> names)
    : events_(max_events), origin_(std::chrono::steady_clock::now()), names_(std::move(names)) {}

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
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  Store(name, category, backend, run, duration_cast<nanoseconds>(start - origin_).count(),
        duration_cast<nanoseconds>(end - start).count());
}

void Profiler::RecordNode(std::string_view name, const std::string* backend, uint64_t run,
                          int64_t start_steady_ns, int64_t duration_ns) {
  const int64_t origin_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(origin_.time_since_epoch()).count();
  Store(&names_->Intern(name), &kNodeCategory, backend, run, start_steady_ns - origin_ns,
        duration_ns);
}

void Profiler::Store(const std::string* name, const std::string* category,
                     const std::string* backend, uint64_t run, int64_t start_ns,
                     int64_t duration_ns) {
  const size_t slot = next_.fetch_add(1, std::memory_order_relaxed);
  if (slot >= events_.size()) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ProfileEvent& e = events_[slot];
  e.name = name;
  e.category = category;
  e.backend = backend;
  e.run = run;
  e.thread = ThreadId();
  e.start_ns = start_ns;
  e.duration_ns = duration_ns;
}

std::vector<ProfileEvent> Profiler::Take(size_t* dropped) {
  const size_t n = std::min(next_.load(std::memory_order_acquire), events_.size());
  std::vector<ProfileEvent> out(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
  if (dropped != nullptr) *dropped = dropped_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace infer::core
