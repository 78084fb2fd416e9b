#include "kernels/parallel.h"

#include <chrono>

namespace infer::cpu {
namespace {

thread_local IntraOpPool* t_pool = nullptr;
thread_local bool t_in_task = false;  // inside a pool task, or a pool worker

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// How long an idle worker spins before it sleeps: long enough to catch the next operator's
// parallel region in a running model (tens of microseconds apart), short enough not to burn
// a core between runs.
constexpr auto kSpin = std::chrono::microseconds(200);

// next_ packs the job's generation (high 32 bits) with the next task index (low 32 bits), so
// a worker that wakes late can never claim a task of a job it did not read.
constexpr int kIndexBits = 32;
constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
constexpr int64_t kMaxTasks = int64_t{1} << 30;

}  // namespace

IntraOpPool::IntraOpPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

IntraOpPool::~IntraOpPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

bool IntraOpPool::try_run(int64_t tasks, TaskFn body, void* ctx) {
  if (tasks <= 0) return true;
  if (tasks > kMaxTasks) return false;
  std::unique_lock job(job_mu_, std::try_to_lock);
  if (!job.owns_lock()) return false;
  const uint64_t gen = (generation_.load() + 1) & kIndexMask;
  // Invalidate first: a late worker of the previous job now fails its claim.
  next_.store(static_cast<int64_t>(gen << kIndexBits));
  tasks_.store(tasks);
  body_.store(body);
  ctx_.store(ctx);
  {
    std::lock_guard lock(mu_);
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  error_ = nullptr;
  const bool was_in_task = t_in_task;
  t_in_task = true;
  drain();
  t_in_task = was_in_task;
  // Workers still finishing their last task; yield now and then in case one was preempted.
  for (int spins = 1; active_.load() != 0; ++spins) {
    cpu_relax();
    if (spins % 1024 == 0) std::this_thread::yield();
  }
  if (error_) std::rethrow_exception(error_);
  return true;
}

// Claims and runs tasks of the current job until none is left.
void IntraOpPool::drain() {
  const uint64_t gen = generation_.load() & kIndexMask;
  const int64_t tasks = tasks_.load();
  const TaskFn body = body_.load();
  void* const ctx = ctx_.load();
  int64_t cur = next_.load();
  for (;;) {
    const auto u = static_cast<uint64_t>(cur);
    if ((u >> kIndexBits) != gen) return;  // a newer job (or none) owns the counter
    const auto index = static_cast<int64_t>(u & kIndexMask);
    if (index >= tasks) return;
    if (next_.compare_exchange_weak(cur, cur + 1)) {
      try {
        body(ctx, index);
      } catch (...) {
        std::lock_guard lock(error_mu_);
        if (!error_) error_ = std::current_exception();
        // Skip the tasks nobody has claimed yet; claims of this generation then fail.
        next_.store(static_cast<int64_t>((gen << kIndexBits) | static_cast<uint64_t>(tasks)));
      }
      cur = next_.load();
    }
  }
}

void IntraOpPool::work() {
  t_in_task = true;
  uint64_t seen = generation_.load();
  for (;;) {
    auto deadline = std::chrono::steady_clock::now() + kSpin;
    int spins = 0;
    // stopping_ is checked too: a pool destroyed right after it started may have bumped the
    // generation before this worker first read it.
    while (generation_.load() == seen && !stopping_.load()) {
      cpu_relax();
      if (++spins % 256 == 0 && std::chrono::steady_clock::now() > deadline) {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [&] { return generation_.load() != seen || stopping_; });
      }
    }
    if (stopping_.load()) return;
    active_.fetch_add(1);
    seen = generation_.load();
    // tasks_/body_/ctx_ are read in drain() before its first claim; a claim only succeeds
    // while next_ still carries this generation, i.e. before the next job rewrites them.
    drain();
    active_.fetch_sub(1);
  }
}

IntraOpPool* current_intra_op_pool() { return t_pool; }

int intra_op_threads() { return t_in_task || !t_pool ? 1 : t_pool->threads(); }

ScopedIntraOpPool::ScopedIntraOpPool(IntraOpPool* pool) : previous_(t_pool) { t_pool = pool; }
ScopedIntraOpPool::~ScopedIntraOpPool() { t_pool = previous_; }

namespace detail {
bool run_on_current_pool(int64_t tasks, IntraOpPool::TaskFn body, void* ctx) {
  return t_pool && !t_in_task && t_pool->try_run(tasks, body, ctx);
}
}  // namespace detail

}  // namespace infer::cpu
