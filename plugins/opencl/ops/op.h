// One entry per ONNX operator the backend runs: a check that says why a node cannot run
// (empty when it can) and the lowering into kernel launches.
#ifndef INFER_PLUGINS_OPENCL_OPS_OP_H_
#define INFER_PLUGINS_OPENCL_OPS_OP_H_

#include <span>
#include <string>
#include <string_view>

#include "plan.h"

namespace infer::opencl {

struct OpDef {
  const char* op_type;
  // Why this node cannot run here (without the node's name), or "".
  std::string (*check)(const NodeSnapshot& node);
  void (*lower)(Lowering& l);
};

// The operator families, one file each under ops/.
std::span<const OpDef> elementwise_ops();
std::span<const OpDef> pool_ops();
std::span<const OpDef> softmax_ops();
std::span<const OpDef> layer_norm_ops();
std::span<const OpDef> batch_norm_ops();
std::span<const OpDef> concat_ops();
std::span<const OpDef> transpose_ops();
std::span<const OpDef> reshape_ops();
std::span<const OpDef> resize_ops();
std::span<const OpDef> gemm_ops();
std::span<const OpDef> conv_ops();

// The op for a node's domain and type, or null.
const OpDef* find_op(const NodeSnapshot& node);
// Full refusal reason with the node's name ("Conv node 'c1': ..."), or "" when it can run.
std::string refusal_reason(const NodeSnapshot& node);

// --- checks shared by the ops ---------------------------------------------------------------
// The first n_data inputs that are present and every present output must be float32 with a
// static shape; the other present inputs must be constants. "" when all hold.
std::string check_float_io(const NodeSnapshot& node, size_t n_data);
// "" when input i is present and constant, else why not.
std::string check_constant_input(const NodeSnapshot& node, size_t i);

// Row-major strides of dims, aligned to the right of a rank-`rank` index; broadcast
// dimensions (size 1 where the output is larger) get stride 0.
std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& in_dims,
                                       const std::vector<int64_t>& out_dims);
// The index table strided kernels read: {rank, dims[6], strides_a[6], strides_b[6]}.
constexpr size_t kMaxRank = 6;
std::vector<int32_t> index_table(const std::vector<int64_t>& out_dims,
                                 const std::vector<int64_t>& strides_a,
                                 const std::vector<int64_t>& strides_b);
// OpenCL C helper that turns flat output index i into element offsets through that table.
extern const char* const kIndexTableSource;

}  // namespace infer::opencl

#endif  // INFER_PLUGINS_OPENCL_OPS_OP_H_
