// The operator table and the checks and index helpers the ops share.
#include "ops/op.h"

#include <array>

namespace infer::opencl {

const OpDef* find_op(const NodeSnapshot& node) {
  if (!node.domain.empty() && node.domain != "ai.onnx") return nullptr;
  using Family = std::span<const OpDef> (*)();
  static constexpr std::array<Family, 11> kFamilies = {
      elementwise_ops, pool_ops,    softmax_ops, layer_norm_ops, batch_norm_ops, concat_ops,
      transpose_ops,   reshape_ops, resize_ops,  gemm_ops,       conv_ops};
  for (Family f : kFamilies)
    for (const OpDef& op : f())
      if (node.op_type == op.op_type) return &op;
  return nullptr;
}

std::string refusal_reason(const NodeSnapshot& node) {
  const OpDef* op = find_op(node);
  if (!op) {
    return node.describe() + ": op '" + node.op_type + "' (domain '" + node.domain +
           "') is not implemented by the opencl backend";
  }
  std::string why = op->check(node);
  return why.empty() ? why : node.describe() + ": " + why;
}

std::string check_float_io(const NodeSnapshot& node, size_t n_data) {
  auto check = [](const ValueSnapshot& v, const char* what) -> std::string {
    if (v.dtype != INFER_DTYPE_FLOAT32) {
      return std::string(what) + " '" + v.name + "' is " + plugin::dtype_name(v.dtype) +
             " (only float32 runs on opencl)";
    }
    if (!v.is_static()) return std::string(what) + " '" + v.name + "' has a dynamic shape";
    if (v.dims.size() > kMaxRank) return std::string(what) + " '" + v.name + "' has rank > 6";
    return "";
  };
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    if (!node.has_input(i)) continue;
    std::string why = i < n_data ? check(node.inputs[i], "input") : check_constant_input(node, i);
    if (!why.empty()) return why;
  }
  for (const ValueSnapshot& v : node.outputs) {
    if (!v.present()) continue;
    if (std::string why = check(v, "output"); !why.empty()) return why;
  }
  return "";
}

std::string check_constant_input(const NodeSnapshot& node, size_t i) {
  if (!node.has_input(i)) return "input " + std::to_string(i) + " is missing";
  if (!node.inputs[i].is_const) {
    return "input " + std::to_string(i) + " '" + node.inputs[i].name +
           "' must be a constant on opencl";
  }
  return "";
}

std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& in_dims,
                                       const std::vector<int64_t>& out_dims) {
  std::vector<int64_t> strides(out_dims.size(), 0);
  int64_t stride = 1;
  for (size_t k = 0; k < in_dims.size(); ++k) {
    const size_t in_axis = in_dims.size() - 1 - k;
    const size_t out_axis = out_dims.size() - 1 - k;
    strides[out_axis] = in_dims[in_axis] == 1 ? 0 : stride;
    stride *= in_dims[in_axis];
  }
  return strides;
}

std::vector<int32_t> index_table(const std::vector<int64_t>& out_dims,
                                 const std::vector<int64_t>& strides_a,
                                 const std::vector<int64_t>& strides_b) {
  std::vector<int32_t> t(1 + 3 * kMaxRank, 0);
  t[0] = static_cast<int32_t>(out_dims.size());
  for (size_t d = 0; d < out_dims.size(); ++d) {
    t[1 + d] = Arg::int32(out_dims[d]).i;
    t[1 + kMaxRank + d] = Arg::int32(d < strides_a.size() ? strides_a[d] : 0).i;
    t[1 + 2 * kMaxRank + d] = Arg::int32(d < strides_b.size() ? strides_b[d] : 0).i;
  }
  return t;
}

const char* const kIndexTableSource = R"CL(
// Offsets into two inputs of flat output index i, through {rank, dims, strides_a, strides_b}.
inline int2 table_offsets(int i, __global const int* t) {
  int rank = t[0];
  int2 off = (int2)(0, 0);
  for (int d = rank - 1; d >= 0; --d) {
    int c = i % t[1 + d];
    i /= t[1 + d];
    off.x += c * t[7 + d];
    off.y += c * t[13 + d];
  }
  return off;
}
)CL";

}  // namespace infer::opencl
