// LayerNormalization over the trailing dims from `axis`: one work item per row (two passes).
#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
__kernel void layer_norm(__global const float* x, __global const float* scale,
                         __global const float* bias, __global float* y, int cols, float eps,
                         int has_bias, int rows) {
  int r = get_global_id(0);
  if (r >= rows) return;
  __global const float* xr = x + r * cols;
  float mean = 0.0f;
  for (int c = 0; c < cols; ++c) mean += xr[c];
  mean /= cols;
  float var = 0.0f;
  for (int c = 0; c < cols; ++c) var += (xr[c] - mean) * (xr[c] - mean);
  float inv = rsqrt(var / cols + eps);
  for (int c = 0; c < cols; ++c)
    y[r * cols + c] = (xr[c] - mean) * inv * scale[c] + (has_bias ? bias[c] : 0.0f);
}
)CL";

int64_t axis_of(const NodeSnapshot& n) {
  const int64_t axis = n.attr_int("axis", -1);
  return axis < 0 ? axis + static_cast<int64_t>(n.inputs[0].dims.size()) : axis;
}

std::string check(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 3); !why.empty()) return why;
  for (size_t i = 1; i < node.outputs.size(); ++i)
    if (node.outputs[i].present()) return "Mean/InvStdDev outputs are not supported";
  const int64_t axis = axis_of(node);
  const auto& dims = node.inputs[0].dims;
  if (axis < 0 || axis >= static_cast<int64_t>(dims.size())) return "axis out of range";
  int64_t cols = 1;
  for (size_t d = static_cast<size_t>(axis); d < dims.size(); ++d) cols *= dims[d];
  for (size_t i = 1; i < 3; ++i)
    if (node.has_input(i) && node.inputs[i].numel() != cols)
      return "scale/bias must have the normalized shape (no broadcasting)";
  return "";
}

void lower(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& dims = n.inputs[0].dims;
  int64_t cols = 1;
  for (size_t d = static_cast<size_t>(axis_of(n)); d < dims.size(); ++d) cols *= dims[d];
  const int64_t rows = cols ? n.inputs[0].numel() / cols : 0;
  const bool has_bias = n.has_input(2);
  const Arg scale = l.input(1);
  l.launch_1d(
      l.program(kSource), "layer_norm",
      {l.input(0), scale, has_bias ? l.input(2) : scale, l.output(0), Arg::int32(cols),
       Arg::float32(n.attr_float("epsilon", 1e-5f)), Arg::int32(has_bias), Arg::int32(rows)},
      static_cast<size_t>(rows));
}

constexpr OpDef kOps[] = {{"LayerNormalization", check, lower}};

}  // namespace

std::span<const OpDef> layer_norm_ops() { return kOps; }

}  // namespace infer::opencl
