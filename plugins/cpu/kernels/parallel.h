// Intra-op parallelism for the cpu kernels. A partition owns an IntraOpPool (threads started
// at compile, never on the Run path) and installs it for the duration of a run with
// ScopedIntraOpPool; kernels then split their work with parallel_for, which runs inline when
// no pool is installed, when the pool has one thread, when called from inside a pool task
// (no nesting, no oversubscription), or when another run is using the pool.
#ifndef INFER_PLUGINS_CPU_KERNELS_PARALLEL_H_
#define INFER_PLUGINS_CPU_KERNELS_PARALLEL_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace infer::cpu {

class IntraOpPool {
 public:
  // threads >= 1 counts the calling thread: threads - 1 workers are started.
  explicit IntraOpPool(int threads);
  ~IntraOpPool();
  IntraOpPool(const IntraOpPool&) = delete;
  IntraOpPool& operator=(const IntraOpPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs body(ctx, task) for every task in [0, tasks) on the caller and the workers; returns
  // when all are done. Returns false without running anything when the pool is busy with
  // another caller's job. An exception from a task (a kernel's error) stops the remaining
  // tasks and is rethrown here once every thread has left the job.
  using TaskFn = void (*)(void* ctx, int64_t task);
  bool try_run(int64_t tasks, TaskFn body, void* ctx);

 private:
  void work();
  void drain();

  std::mutex job_mu_;  // one job at a time
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int64_t> next_{0};
  std::atomic<int> active_{0};
  // The job; atomics because a worker that wakes late may read them while the next job is
  // being written (its claim on next_ then fails, see parallel.cc).
  std::atomic<int64_t> tasks_{0};
  std::atomic<TaskFn> body_{nullptr};
  std::atomic<void*> ctx_{nullptr};
  std::atomic<bool> stopping_{false};
  std::mutex error_mu_;
  std::exception_ptr error_;  // the first task exception of the current job
  std::vector<std::thread> workers_;
};

// The pool kernels on this thread use, or null.
IntraOpPool* current_intra_op_pool();
// Threads parallel_for may use on this thread now (1 inside a pool task or without a pool).
int intra_op_threads();

class ScopedIntraOpPool {
 public:
  explicit ScopedIntraOpPool(IntraOpPool* pool);
  ~ScopedIntraOpPool();
  ScopedIntraOpPool(const ScopedIntraOpPool&) = delete;
  ScopedIntraOpPool& operator=(const ScopedIntraOpPool&) = delete;

 private:
  IntraOpPool* previous_;
};

namespace detail {
bool run_on_current_pool(int64_t tasks, IntraOpPool::TaskFn body, void* ctx);
}

// Calls fn(task) for every task in [0, tasks), spread over the current pool. Tasks must be
// independent; each should be worth at least some microseconds of work.
template <typename Fn>
void parallel_tasks(int64_t tasks, Fn&& fn) {
  if (tasks <= 0) return;
  if (tasks > 1 && intra_op_threads() > 1) {
    using F = std::remove_reference_t<Fn>;
    auto body = [](void* ctx, int64_t task) { (*static_cast<F*>(ctx))(task); };
    if (detail::run_on_current_pool(tasks, body, const_cast<void*>(static_cast<const void*>(&fn))))
      return;
  }
  for (int64_t t = 0; t < tasks; ++t) fn(t);
}

// Calls fn(begin, end) on disjoint ranges covering [0, n), each at least `grain` long (but the
// last), about four per thread so that uneven ranges balance.
template <typename Fn>
void parallel_for(int64_t n, int64_t grain, Fn&& fn) {
  if (n <= 0) return;
  const int64_t threads = intra_op_threads();
  if (threads <= 1 || n <= grain) {
    fn(int64_t{0}, n);
    return;
  }
  int64_t chunk = (n + 4 * threads - 1) / (4 * threads);
  chunk = chunk < grain ? grain : chunk;
  const int64_t tasks = (n + chunk - 1) / chunk;
  parallel_tasks(tasks, [&](int64_t t) {
    const int64_t begin = t * chunk;
    fn(begin, begin + chunk < n ? begin + chunk : n);
  });
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_PARALLEL_H_
