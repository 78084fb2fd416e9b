// A compiled partition: the kernels of a topologically ordered subgraph and the bookkeeping of
// which value lives where during a run.
#ifndef INFER_PLUGINS_CPU_PARTITION_H_
#define INFER_PLUGINS_CPU_PARTITION_H_

#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "infer/plugin_api.h"
#include "ops/op.h"

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
                                            std::span<const size_t> outputs);

  // Thread-safe: all per-run state is local to the call.
  void run(std::span<const infer_tensor_view> inputs, infer_run_context* ctx) const;

  const infer_host_api* host() const { return host_; }

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
    std::string label;             // "Conv node 'conv1'" for errors
    std::vector<size_t> in;        // slot per node input, kNone when absent
    std::vector<size_t> out;       // slot per node output, kNone when absent
    std::vector<size_t> last_use;  // computed slots whose buffers can go after this step
  };

  class RunState;

  explicit Partition(const infer_host_api* host) : host_(host) {}

  const infer_host_api* host_;
  std::vector<Slot> slots_;
  std::vector<Constant> constants_;
  std::vector<Step> steps_;
  std::vector<size_t> input_slots_;   // per partition input
  std::vector<size_t> output_slots_;  // per partition output
};

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_PARTITION_H_
