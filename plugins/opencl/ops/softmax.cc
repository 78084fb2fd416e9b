// Softmax and LogSoftmax over any axis: one work item per (outer, inner) pair walks the axis.
#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
__kernel void softmax(__global const float* x, __global float* y, int axis_len, int inner,
                      int log_out, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  int o = i / inner, r = i - o * inner;
  int base = o * axis_len * inner + r;
  float m = -INFINITY;
  for (int k = 0; k < axis_len; ++k) m = fmax(m, x[base + k * inner]);
  float s = 0.0f;
  for (int k = 0; k < axis_len; ++k) s += exp(x[base + k * inner] - m);
  if (log_out) {
    float ls = log(s);
    for (int k = 0; k < axis_len; ++k) y[base + k * inner] = x[base + k * inner] - m - ls;
  } else {
    float inv = 1.0f / s;
    for (int k = 0; k < axis_len; ++k) y[base + k * inner] = exp(x[base + k * inner] - m) * inv;
  }
}
)CL";

std::string check(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  const int64_t rank = static_cast<int64_t>(node.inputs[0].dims.size());
  const int64_t axis = node.attr_int("axis", node.opset >= 13 ? -1 : 1);
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) return "axis out of range";
  return "";
}

void lower(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& dims = n.inputs[0].dims;
  const int64_t rank = static_cast<int64_t>(dims.size());
  int64_t axis = n.attr_int("axis", n.opset >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  int64_t outer = 1, axis_len = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) {
    const int64_t v = dims[static_cast<size_t>(d)];
    if (d < axis) {
      outer *= v;
    } else if (d == axis || n.opset < 13) {
      axis_len *= v;  // before opset 13 the trailing dims are flattened into the axis
    } else {
      inner *= v;
    }
  }
  const int64_t count = outer * inner;
  l.launch_1d(l.program(kSource), "softmax",
              {l.input(0), l.output(0), Arg::int32(axis_len), Arg::int32(inner),
               Arg::int32(n.op_type == "LogSoftmax" ? 1 : 0), Arg::int32(count)},
              static_cast<size_t>(count));
}

constexpr OpDef kOps[] = {{"Softmax", check, lower}, {"LogSoftmax", check, lower}};

}  // namespace

std::span<const OpDef> softmax_ops() { return kOps; }

}  // namespace infer::opencl
