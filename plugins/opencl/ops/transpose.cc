// Transpose and Expand: a gather through the strided index table (permuted strides for
// Transpose, zero strides for Expand's broadcast dimensions).
#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
__kernel void strided_copy(__global const float* x, __global float* y, __global const int* t,
                           int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  y[i] = x[table_offsets(i, t).x];
}
)CL";

void launch_gather(Lowering& l, const std::vector<int64_t>& src_strides) {
  const NodeSnapshot& n = l.node();
  const int64_t count = n.outputs[0].numel();
  l.launch_1d(l.program(std::string(kIndexTableSource) + kSource), "strided_copy",
              {l.input(0), l.output(0), l.constant(index_table(n.outputs[0].dims, src_strides, {})),
               Arg::int32(count)},
              static_cast<size_t>(count));
}

std::vector<int64_t> perm_of(const NodeSnapshot& n) {
  std::vector<int64_t> perm = n.attr_ints("perm", {});
  if (perm.empty())
    for (size_t i = n.inputs[0].dims.size(); i-- > 0;) perm.push_back(static_cast<int64_t>(i));
  return perm;
}

std::string check_transpose(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  const auto perm = perm_of(node);
  const size_t rank = node.inputs[0].dims.size();
  std::vector<bool> seen(rank, false);
  if (perm.size() != rank) return "perm does not match the input rank";
  for (int64_t p : perm) {
    if (p < 0 || static_cast<size_t>(p) >= rank || seen[static_cast<size_t>(p)])
      return "perm is not a permutation";
    seen[static_cast<size_t>(p)] = true;
  }
  return "";
}

void lower_transpose(Lowering& l) {
  const auto& in = l.node().inputs[0].dims;
  const auto in_strides = broadcast_strides(in, in);
  std::vector<int64_t> src;
  for (int64_t p : perm_of(l.node()))
    src.push_back(in[static_cast<size_t>(p)] == 1 ? 0 : in_strides[static_cast<size_t>(p)]);
  launch_gather(l, src);
}

std::string check_expand(const NodeSnapshot& node) { return check_float_io(node, 1); }

void lower_expand(Lowering& l) {
  launch_gather(l, broadcast_strides(l.node().inputs[0].dims, l.node().outputs[0].dims));
}

constexpr OpDef kOps[] = {{"Transpose", check_transpose, lower_transpose},
                          {"Expand", check_expand, lower_expand}};

}  // namespace

std::span<const OpDef> transpose_ops() { return kOps; }

}  // namespace infer::opencl
