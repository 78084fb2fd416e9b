// Sliding-window geometry shared by Conv and the pooling operators: kernel, strides, pads,
// dilations, auto_pad and ceil_mode resolved against the actual input size.
#ifndef INFER_PLUGINS_CPU_KERNELS_WINDOW_H_
#define INFER_PLUGINS_CPU_KERNELS_WINDOW_H_

#include <array>
#include <string_view>

#include "kernels/common.h"

namespace infer::cpu {

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };
// Parses the ONNX auto_pad string; throws on unknown values.
AutoPad parse_auto_pad(std::string_view s);

// Window attributes as given on the node. Empty vectors mean the ONNX defaults (stride and
// dilation 1, no padding); kernel_shape may be empty for Conv, which takes it from the weights.
struct WindowParams {
  Shape kernel_shape;
  Shape strides;
  Shape dilations;
  Shape pads;  // begins of every axis, then ends
  AutoPad auto_pad = AutoPad::kNotSet;
  bool ceil_mode = false;
};

// The cpu kernels handle 1-D, 2-D and 3-D windows.
constexpr size_t kMaxSpatialRank = 3;

// Checks ranges (strides, dilations, kernel > 0; pads >= 0) and, unless spatial_rank is 0
// (not known yet), the number of values of each attribute.
void validate_window(const WindowParams& p, size_t spatial_rank);

// Resolved geometry, always 3-D: lower-rank windows get leading axes of size 1 (kernel 1,
// stride 1, no padding) so that a single loop nest serves all ranks.
struct WindowGeometry {
  using Dims = std::array<int64_t, kMaxSpatialRank>;
  size_t rank = 0;  // the real spatial rank
  Dims in{}, kernel{}, stride{}, dilation{}, pad_begin{}, pad_end{}, out{};
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
};

// Validates p for these input and kernel sizes and computes output sizes and effective pads.
WindowGeometry resolve_window(const WindowParams& p, ShapeSpan in, ShapeSpan kernel);

// For one axis and one output position: the window taps t (position start + t * dilation)
// that fall inside the input are [begin, end); `padded` counts the taps inside the padded
// extent, which AveragePool divides by when count_include_pad is set.
struct AxisTaps {
  int64_t start = 0;  // input position of tap 0
  int64_t begin = 0, end = 0, padded = 0;
};
std::vector<AxisTaps> axis_taps(const WindowGeometry& g, size_t axis);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_WINDOW_H_
