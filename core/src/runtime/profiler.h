// Per-step timestamps while a session profiles: a ring of events allocated
// when profiling starts, so runs record without allocating.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace infer::core {

struct ProfileEvent {
  const std::string* name = nullptr;      // owned by the plan, lives with the session
  const std::string* category = nullptr;  // "partition", "copy" or "node"
  const std::string* backend = nullptr;
  uint64_t run = 0;
  uint32_t thread = 0;
  int64_t start_ns = 0;  // since Start
  int64_t duration_ns = 0;
};

// Names of the operators backends reported, interned: the session keeps one of these for its
// lifetime, so the names in drained events stay valid after their profiler is gone.
struct ProfileNames {
  std::mutex mu;
  std::set<std::string, std::less<>> names;  // set nodes never move
  const std::string& Intern(std::string_view name);
};

class Profiler {
 public:
  Profiler(size_t max_events, std::shared_ptr<ProfileNames> names);

  // Records one step; past max_events, counts it as dropped.
  void Record(const std::string* name, const std::string* category, const std::string* backend,
              uint64_t run, std::chrono::steady_clock::time_point start,
              std::chrono::steady_clock::time_point end);
  // Records one operator a backend reported (ABI 1.4) inside a partition step: the name is
  // interned (copied once per distinct name), start is steady_clock nanoseconds.
  void RecordNode(std::string_view name, const std::string* backend, uint64_t run,
                  int64_t start_steady_ns, int64_t duration_ns);
  uint64_t NextRun() { return runs_.fetch_add(1, std::memory_order_relaxed); }
  // Events recorded so far (in completion order), and how many did not fit.
  std::vector<ProfileEvent> Take(size_t* dropped);

 private:
  uint32_t ThreadId();
  // Fills the next slot of the ring, or counts the event as dropped; start_ns since origin_.
  void Store(const std::string* name, const std::string* category, const std::string* backend,
             uint64_t run, int64_t start_ns, int64_t duration_ns);

  std::vector<ProfileEvent> events_;
  std::chrono::steady_clock::time_point origin_;  // after the allocation above
  std::atomic<size_t> next_{0};
  std::atomic<size_t> dropped_{0};
  std::atomic<uint64_t> runs_{0};
  std::mutex threads_mu_;
  std::map<std::thread::id, uint32_t> threads_;
  std::shared_ptr<ProfileNames> names_;
};

}  // namespace infer::core
