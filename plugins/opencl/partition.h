// A compiled partition on one OpenCL device: the plan (storages, launches, planned buffers),
// the constants uploaded at compile, and a pool of run states so concurrent runs never share
// activation buffers or kernel objects.
#ifndef INFER_PLUGINS_OPENCL_PARTITION_H_
#define INFER_PLUGINS_OPENCL_PARTITION_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "device.h"
#include "plan.h"
#include "program_cache.h"

namespace infer::opencl {

class CompiledPartition {
 public:
  // nodes are topologically ordered; inputs/outputs are the partition's boundary values.
  // Throws PluginError for a node the backend cannot run (with the refusal reason).
  static std::unique_ptr<CompiledPartition> compile(const Device& device, ProgramCache& cache,
                                                    const std::vector<NodeSnapshot>& nodes,
                                                    const std::vector<ValueSnapshot>& inputs,
                                                    const std::vector<ValueSnapshot>& outputs,
                                                    const std::string& cache_dir);

  ~CompiledPartition();

  // Returns the host memory for output `index` (float32, `shape`), or throws.
  using OutputAllocator = std::function<void*(size_t index, const std::vector<int64_t>& shape)>;
  // Thread-safe: each concurrent call takes its own run state (queue, buffers, kernels).
  void run(std::span<const infer_tensor_view> inputs, const OutputAllocator& allocate);

  // The report lines (kernel count, device time by kernel, transfers, buffers, programs).
  std::string describe() const;

  const Plan& plan() const { return plan_; }
  size_t run_states_created() const;

 private:
  struct RunState;
  explicit CompiledPartition(const Device& device);
  std::unique_ptr<RunState> make_run_state() const;
  cl_mem storage_mem(const RunState& st, size_t storage) const;

  const Device& device_;
  Plan plan_;
  std::vector<Mem> constants_;  // per storage; set for kConstant ones
  size_t constant_bytes_ = 0;

  mutable std::mutex pool_mu_;
  std::vector<std::unique_ptr<RunState>> idle_;
  size_t created_ = 0;

  mutable std::mutex stats_mu_;
  uint64_t runs_ = 0;
  uint64_t bytes_up_ = 0, bytes_down_ = 0, host_ns_ = 0;
  std::map<std::string, std::pair<uint64_t, uint64_t>> kernel_ns_;  // name -> (ns, launches)
};

}  // namespace infer::opencl

#endif  // INFER_PLUGINS_OPENCL_PARTITION_H_
