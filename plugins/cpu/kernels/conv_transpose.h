// ConvTranspose (NCHW, 1-D to 3-D, grouped) as GEMM + col2im.
#ifndef INFER_PLUGINS_CPU_KERNELS_CONV_TRANSPOSE_H_
#define INFER_PLUGINS_CPU_KERNELS_CONV_TRANSPOSE_H_

#include <optional>

#include "kernels/window.h"

namespace infer::cpu {

// Attributes as given on the node; empty vectors mean the ONNX defaults.
struct ConvTransposeParams {
  Shape kernel_shape{}, strides{}, dilations{}, pads{}, output_padding{}, output_shape{};
  AutoPad auto_pad = AutoPad::kNotSet;
  int64_t group = 1;
};

// Checks counts and ranges; spatial_rank may be 0 when it is not known yet.
void validate_conv_transpose_params(const ConvTransposeParams& p, size_t spatial_rank);

struct ConvTransposePlan {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  // 3-D like WindowGeometry: lower ranks get leading axes of size 1.
  WindowGeometry::Dims in{}, out{}, kernel{}, stride{}, dilation{}, pad_begin{};
  Shape y_shape;
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
};

// X [N, C, D...], W [C, M / group, K...], optional B [M]. The output size per axis is
// output_shape if given (pads then split from the difference, never negative: a larger
// output is extended at the end), else stride * (in - 1) + output_padding +
// (K - 1) * dilation + 1 - pads, with SAME_* auto_pad aiming at in * stride.
ConvTransposePlan plan_conv_transpose(const ConvTransposeParams& p, ShapeSpan x, ShapeSpan w,
                                      std::optional<ShapeSpan> bias);
// bias may be null. T: float, double, Float16, BFloat16 (the 16-bit types compute in float).
template <typename T>
void conv_transpose(const ConvTransposePlan& plan, const T* x, const T* w, const T* bias, T* y);

#define INFER_CPU_CONV_TRANSPOSE_EXTERN(T)                                                       \
  extern template void conv_transpose<T>(const ConvTransposePlan&, const T*, const T*, const T*, \
                                         T*);
INFER_CPU_CONV_TRANSPOSE_EXTERN(float)
INFER_CPU_CONV_TRANSPOSE_EXTERN(double)
INFER_CPU_CONV_TRANSPOSE_EXTERN(Float16)
INFER_CPU_CONV_TRANSPOSE_EXTERN(BFloat16)
#undef INFER_CPU_CONV_TRANSPOSE_EXTERN

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CONV_TRANSPOSE_H_
