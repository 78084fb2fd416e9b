// Conv (NCHW, 1-D to 3-D, grouped and depthwise) as im2col + GEMM.
#ifndef INFER_PLUGINS_CPU_KERNELS_CONV_H_
#define INFER_PLUGINS_CPU_KERNELS_CONV_H_

#include <optional>

#include "kernels/window.h"

namespace infer::cpu {

struct ConvParams {
  WindowParams window;
  int64_t group = 1;
};

// Checks attributes that do not depend on input shapes (group, window sizes and ranges).
// spatial_rank may be 0 when it is not known yet.
void validate_conv_params(const ConvParams& p, size_t spatial_rank);

struct ConvPlan {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  WindowGeometry geo;
  Shape y_shape;
};

// X [N, C, D...], W [M, C / group, K...], optional B [M].
ConvPlan plan_conv(const ConvParams& p, ShapeSpan x, ShapeSpan w, std::optional<ShapeSpan> bias);
// bias may be null.
void conv(const ConvPlan& plan, const float* x, const float* w, const float* bias, float* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CONV_H_
