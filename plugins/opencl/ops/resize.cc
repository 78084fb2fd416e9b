// Resize of the two spatial dims of a 4-D NCHW tensor, nearest or (bi)linear, with the ONNX
// coordinate transformation and nearest rounding modes.
#include <cmath>

#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
// coord: 0 half_pixel, 1 asymmetric, 2 align_corners, 3 pytorch_half_pixel.
float source_coord(int x, float scale, int in_len, int out_len, int coord) {
  if (coord == 1) return x / scale;
  if (coord == 2) return out_len == 1 ? 0.0f : x * (float)(in_len - 1) / (float)(out_len - 1);
  if (coord == 3 && out_len == 1) return 0.0f;
  return (x + 0.5f) / scale - 0.5f;
}
// rounding: 0 round_prefer_floor, 1 round_prefer_ceil, 2 floor, 3 ceil.
int nearest_index(float c, int rounding, int len) {
  int i;
  if (rounding == 2) i = (int)floor(c);
  else if (rounding == 3) i = (int)ceil(c);
  else if (rounding == 1) i = (int)floor(c + 0.5f);
  else i = (c - floor(c) == 0.5f) ? (int)floor(c) : (int)floor(c + 0.5f);
  return clamp(i, 0, len - 1);
}
__kernel void resize2d(__global const float* x, __global float* y, int H, int W, int OH, int OW,
                       float sh, float sw, int coord, int rounding, int linear, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  int ow = i % OW, oh = (i / OW) % OH, nc = i / (OW * OH);
  __global const float* xp = x + nc * H * W;
  float ch = source_coord(oh, sh, H, OH, coord), cw = source_coord(ow, sw, W, OW, coord);
  if (!linear) {
    y[i] = xp[nearest_index(ch, rounding, H) * W + nearest_index(cw, rounding, W)];
    return;
  }
  ch = clamp(ch, 0.0f, (float)(H - 1));
  cw = clamp(cw, 0.0f, (float)(W - 1));
  int h0 = (int)floor(ch), w0 = (int)floor(cw);
  int h1 = min(h0 + 1, H - 1), w1 = min(w0 + 1, W - 1);
  float lh = ch - h0, lw = cw - w0;
  float top = xp[h0 * W + w0] * (1.0f - lw) + xp[h0 * W + w1] * lw;
  float bot = xp[h1 * W + w0] * (1.0f - lw) + xp[h1 * W + w1] * lw;
  y[i] = top * (1.0f - lh) + bot * lh;
}
)CL";

int index_of(const std::string& s, std::initializer_list<const char*> names) {
  int i = 0;
  for (const char* n : names) {
    if (s == n) return i;
    ++i;
  }
  return -1;
}

int coord_mode(const NodeSnapshot& n) {
  return index_of(n.attr_string("coordinate_transformation_mode", "half_pixel"),
                  {"half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"});
}
int rounding_mode(const NodeSnapshot& n) {
  return index_of(n.attr_string("nearest_mode", "round_prefer_floor"),
                  {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"});
}

// The scales of H and W: the constant scales input when given, else output / input.
std::pair<float, float> scales_of(const NodeSnapshot& n) {
  const auto& in = n.inputs[0].dims;
  const auto& out = n.outputs[0].dims;
  if (n.has_input(2)) {
    const auto s = n.inputs[2].floats();
    if (s.size() == 4) return {s[2], s[3]};
  }
  return {static_cast<float>(out[2]) / static_cast<float>(in[2]),
          static_cast<float>(out[3]) / static_cast<float>(in[3])};
}

std::string check(const NodeSnapshot& node) {
  if (node.opset < 11) return "Resize before opset 11 is not supported";
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  const auto& in = node.inputs[0].dims;
  const auto& out = node.outputs[0].dims;
  if (in.size() != 4) return "only 4-D (NCHW) inputs are supported";
  if (in[0] != out[0] || in[1] != out[1]) return "only H and W may be resized";
  const std::string mode = node.attr_string("mode", "nearest");
  if (mode != "nearest" && mode != "linear") return "mode '" + mode + "' is not supported";
  if (coord_mode(node) < 0) return "coordinate_transformation_mode is not supported";
  if (rounding_mode(node) < 0) return "nearest_mode is not supported";
  if (node.attr_int("antialias", 0) != 0) return "antialias is not supported";
  if (node.attr("axes")) return "the axes attribute is not supported";
  if (in[2] == 0 || in[3] == 0) return "empty input";
  const auto [sh, sw] = scales_of(node);
  if (!(sh > 0) || !(sw > 0)) return "scales must be positive";
  return "";
}

void lower(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const auto& in = n.inputs[0].dims;
  const auto& out = n.outputs[0].dims;
  const auto [sh, sw] = scales_of(n);
  const int64_t count = n.outputs[0].numel();
  l.launch_1d(l.program(kSource), "resize2d",
              {l.input(0), l.output(0), Arg::int32(in[2]), Arg::int32(in[3]), Arg::int32(out[2]),
               Arg::int32(out[3]), Arg::float32(sh), Arg::float32(sw), Arg::int32(coord_mode(n)),
               Arg::int32(rounding_mode(n)),
               Arg::int32(n.attr_string("mode", "nearest") == "linear"), Arg::int32(count)},
              static_cast<size_t>(count));
}

constexpr OpDef kOps[] = {{"Resize", check, lower}};

}  // namespace

std::span<const OpDef> resize_ops() { return kOps; }

}  // namespace infer::opencl
