// A compiled partition: the kernels of a topologically ordered subgraph and the bookkeeping of
// which value lives where during a run.
#ifndef INFER_PLUGINS_CPU_PARTITION_H_
#define INFER_PLUGINS_CPU_PARTITION_H_

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "infer/plugin_api.h"
#include "ops/op.h"
#include "options.h"

namespace infer::cpu {

// 64-byte aligned bytes, like the host's output buffers.
struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBytes = std::unique_ptr<std::byte, AlignedFree>;
AlignedBytes allocate_aligned(size_t nbytes);  // null for 0 bytes

// Opset of the node's domain as imported by the graph (a current one for a default domain
// the graph does not import).
int64_t node_opset(const infer_host_api* host, const infer_graph* g, const plugin::NodeView& node);

// The operator implementing a node, or null when the cpu backend has none for its domain and
// op type; unimplemented_op_message() then says so.
const OpDesc* find_node_op(const OpContext& ctx);
// "op 'Foo' (domain '', opset 13) is not implemented by the cpu backend"
std::string unimplemented_op_message(const OpContext& ctx);

// Checks that node ids are in range for the graph.
void check_node_ids(const infer_host_api* host, const infer_graph* g,
                    std::span<const size_t> nodes);

class Partition {
 public:
  // Validates the nodes (attributes, arity, types) and resolves every value the nodes read.
  static std::unique_ptr<Partition> compile(const infer_host_api* host, const infer_graph* g,
                                            std::span<const size_t> nodes,
                                            std::span<const size_t> inputs,
                                            std::span<const size_t> outputs,
                                            const CpuOptions& options);

  // Thread-safe: per-run state is local to the call, the plan cache and profile counters are
  // synchronised.
  void run(std::span<const infer_tensor_view> inputs, infer_run_context* ctx) const;

  const infer_host_api* host() const { return host_; }

  // For the placement report: threads, the memory plan (arena vs no reuse) and, with
  // cpu.profile_ops, where the time went by operator type and node.
  std::string describe() const;

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // Where a value comes from during a run.
  enum class Source { kInput, kConstant, kComputed };
  struct Slot {
    std::string name;
    Source source = Source::kComputed;
    size_t index = kNone;         // input index, or constant index
    size_t output_index = kNone;  // partition output that receives it directly, if any
    infer_dtype dtype = INFER_DTYPE_UNDEFINED;  // known type, checked on inputs
  };
  struct Constant {
    infer_dtype dtype;
    Shape shape;
    AlignedBytes data;
  };
  struct Step {
    const OpDesc* desc = nullptr;
    std::unique_ptr<Kernel> kernel;
    std::string label;  // "Conv node 'conv1'" for errors
    std::string op_type;
    std::vector<size_t> in;        // slot per node input, kNone when absent
    std::vector<size_t> out;       // slot per node output, kNone when absent
    std::vector<size_t> last_use;  // computed slots whose buffers can go after this step
  };

  class RunState;
  struct MemoryPlan;
  struct StepStats {
    std::atomic<uint64_t> ns{0}, runs{0};
  };

  explicit Partition(const infer_host_api* host) : host_(host) {}

  // The plan for these input shapes, or null; at most kMaxPlans shape signatures are kept.
  std::shared_ptr<MemoryPlan> find_plan(const std::vector<int64_t>& signature) const;
  void add_plan(std::shared_ptr<MemoryPlan> plan) const;

  const infer_host_api* host_;
  CpuOptions options_;
  std::shared_ptr<IntraOpPool> pool_;
  std::vector<Slot> slots_;
  std::vector<Constant> constants_;
  std::vector<Step> steps_;
  std::vector<size_t> input_slots_;   // per partition input
  std::vector<size_t> output_slots_;  // per partition output
  std::vector<size_t> last_step_;     // per slot: the last step that reads (or makes) it

  static constexpr size_t kMaxPlans = 4;
  mutable std::mutex plans_mu_;
  mutable std::vector<std::shared_ptr<MemoryPlan>> plans_;  // oldest first
  std::unique_ptr<StepStats[]> stats_;                      // per step, with profile_ops
  mutable std::atomic<uint64_t> runs_{0};
};

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_PARTITION_H_
