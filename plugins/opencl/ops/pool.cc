// MaxPool, AveragePool (2-D, NCHW) and GlobalAveragePool/GlobalMaxPool. Output sizes come from
// the output's static shape, so ceil_mode needs no code of its own.
#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
// One work item per output element; p = {KH, KW, SH, SW, PT, PL, PB, PR, DH, DW}.
__kernel void pool2d(__global const float* x, __global float* y, int H, int W, int OH, int OW,
                     __global const int* p, int is_max, int count_include_pad, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  int ow = i % OW, oh = (i / OW) % OH, nc = i / (OW * OH);
  __global const float* xp = x + nc * H * W;
  float acc = is_max ? -INFINITY : 0.0f;
  int valid = 0, padded = 0;
  for (int kh = 0; kh < p[0]; ++kh) {
    int ih = oh * p[2] - p[4] + kh * p[8];
    for (int kw = 0; kw < p[1]; ++kw) {
      int iw = ow * p[3] - p[5] + kw * p[9];
      if (ih < H + p[6] && iw < W + p[7]) ++padded;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      float v = xp[ih * W + iw];
      acc = is_max ? fmax(acc, v) : acc + v;
      ++valid;
    }
  }
  if (!is_max) acc /= (float)(count_include_pad ? padded : max(valid, 1));
  y[i] = acc;
}

__kernel void global_pool(__global const float* x, __global float* y, int hw, int is_max,
                          int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  __global const float* xp = x + i * hw;
  float acc = is_max ? -INFINITY : 0.0f;
  for (int k = 0; k < hw; ++k) acc = is_max ? fmax(acc, xp[k]) : acc + xp[k];
  y[i] = is_max ? acc : acc / (float)hw;
}
)CL";

std::string check_pool(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  if (node.outputs.size() > 1 && node.outputs[1].present())
    return "Indices output is not supported";
  if (node.inputs[0].dims.size() != 4) return "only 2-D pooling (4-D NCHW input) is supported";
  if (node.attr_string("auto_pad", "NOTSET") != "NOTSET") return "auto_pad is not supported";
  if (node.attr_int("storage_order", 0) != 0) return "storage_order 1 is not supported";
  if (node.attr_ints("kernel_shape", {}).size() != 2) return "kernel_shape must have 2 entries";
  return "";
}

void lower_pool(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& in = n.inputs[0].dims;
  const auto& out = n.outputs[0].dims;
  const auto k = n.attr_ints("kernel_shape", {});
  const auto s = n.attr_ints("strides", {1, 1});
  const auto pads = n.attr_ints("pads", {0, 0, 0, 0});
  const auto d = n.attr_ints("dilations", {1, 1});
  std::vector<int32_t> p;
  for (int64_t v : {k[0], k[1], s[0], s[1], pads[0], pads[1], pads[2], pads[3], d[0], d[1]})
    p.push_back(Arg::int32(v).i);
  const bool is_max = n.op_type == "MaxPool";
  const int64_t count = n.outputs[0].numel();
  l.launch_1d(l.program(kSource), "pool2d",
              {l.input(0), l.output(0), Arg::int32(in[2]), Arg::int32(in[3]), Arg::int32(out[2]),
               Arg::int32(out[3]), l.constant(std::move(p)), Arg::int32(is_max),
               Arg::int32(n.attr_int("count_include_pad", 0)), Arg::int32(count)},
              static_cast<size_t>(count));
}

std::string check_global(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  if (node.inputs[0].dims.size() < 3) return "input rank must be at least 3";
  return "";
}

void lower_global(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& in = n.inputs[0].dims;
  int64_t hw = 1;
  for (size_t i = 2; i < in.size(); ++i) hw *= in[i];
  const int64_t count = in[0] * in[1];
  l.launch_1d(l.program(kSource), "global_pool",
              {l.input(0), l.output(0), Arg::int32(hw),
               Arg::int32(n.op_type == "GlobalMaxPool" ? 1 : 0), Arg::int32(count)},
              static_cast<size_t>(count));
}

constexpr OpDef kOps[] = {{"MaxPool", check_pool, lower_pool},
                          {"AveragePool", check_pool, lower_pool},
                          {"GlobalAveragePool", check_global, lower_global},
                          {"GlobalMaxPool", check_global, lower_global}};

}  // namespace

std::span<const OpDef> pool_ops() { return kOps; }

}  // namespace infer::opencl
