// BatchNormalization (inference): the constant statistics fold into a per-channel
// multiply-add on the host at compile, so the device runs one affine kernel.
#include <cmath>

#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
__kernel void channel_affine(__global const float* x, __global const float* a,
                             __global const float* b, __global float* y, int channels,
                             int inner, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  int c = (i / inner) % channels;
  y[i] = x[i] * a[c] + b[c];
}
)CL";

std::string check(const NodeSnapshot& node) {
  if (node.attr_int("training_mode", 0) != 0) return "training_mode is not supported";
  for (size_t i = 1; i < node.outputs.size(); ++i)
    if (node.outputs[i].present()) return "running mean/var outputs are not supported";
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  const auto& dims = node.inputs[0].dims;
  if (dims.size() < 2) return "input rank must be at least 2";
  for (size_t i = 1; i < 5; ++i) {
    if (!node.has_input(i)) return "needs scale, B, mean and var";
    if (node.inputs[i].dtype != INFER_DTYPE_FLOAT32) return "statistics must be float32";
    if (node.inputs[i].numel() != dims[1]) return "statistics must have one value per channel";
  }
  return "";
}

void lower(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto scale = n.inputs[1].floats(), bias = n.inputs[2].floats();
  const auto mean = n.inputs[3].floats(), var = n.inputs[4].floats();
  const float eps = n.attr_float("epsilon", 1e-5f);
  std::vector<float> a(scale.size()), b(scale.size());
  for (size_t c = 0; c < scale.size(); ++c) {
    a[c] = scale[c] / std::sqrt(var[c] + eps);
    b[c] = bias[c] - mean[c] * a[c];
  }
  const auto& dims = n.inputs[0].dims;
  int64_t inner = 1;
  for (size_t d = 2; d < dims.size(); ++d) inner *= dims[d];
  const int64_t count = n.inputs[0].numel();
  l.launch_1d(l.program(kSource), "channel_affine",
              {l.input(0), l.constant(std::move(a)), l.constant(std::move(b)), l.output(0),
               Arg::int32(dims[1]), Arg::int32(inner), Arg::int32(count)},
              static_cast<size_t>(count));
}

constexpr OpDef kOps[] = {{"BatchNormalization", check, lower}};

}  // namespace

std::span<const OpDef> batch_norm_ops() { return kOps; }

}  // namespace infer::opencl
