// ONNX DeformConv (opsets 19 and 22), 2-D: each kernel tap samples the input bilinearly at its
// regular position plus a learned offset, optionally scaled by a mask.
#ifndef INFER_PLUGINS_CPU_KERNELS_DEFORM_CONV_H_
#define INFER_PLUGINS_CPU_KERNELS_DEFORM_CONV_H_

#include <optional>

#include "kernels/common.h"

namespace infer::cpu {

struct DeformConvParams {
  Shape kernel_shape, strides, dilations, pads;  // empty: from W / 1 / 1 / 0
  int64_t group = 1, offset_group = 1;
};
// Attribute checks that need no shapes (positive strides, dilations, groups; pads >= 0).
void validate_deform_conv_params(const DeformConvParams& p);

struct DeformConvPlan {
  int64_t batch = 0, in_channels = 0, out_channels = 0, in_h = 0, in_w = 0;
  int64_t kernel_h = 0, kernel_w = 0, out_h = 0, out_w = 0;
  int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1, pad_top = 0, pad_left = 0;
  int64_t group = 1, offset_group = 1;
  Shape y_shape;
};
// X [N, C, H, W], W [M, C / group, kH, kW], offset [N, offset_group * kH * kW * 2, oH, oW],
// B [M], mask [N, offset_group * kH * kW, oH, oW].
DeformConvPlan plan_deform_conv(const DeformConvParams& p, ShapeSpan x, ShapeSpan w,
                                ShapeSpan offset, std::optional<ShapeSpan> bias,
                                std::optional<ShapeSpan> mask);
// bias and mask may be null. T is float or double.
template <typename T>
void deform_conv(const DeformConvPlan& plan, const T* x, const T* w, const T* offset, const T* bias,
                 const T* mask, T* y);
extern template void deform_conv<float>(const DeformConvPlan&, const float*, const float*,
                                        const float*, const float*, const float*, float*);
extern template void deform_conv<double>(const DeformConvPlan&, const double*, const double*,
                                         const double*, const double*, const double*, double*);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_DEFORM_CONV_H_
