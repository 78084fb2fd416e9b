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
// bias may be null. T: float, double, Float16, BFloat16 (the 16-bit types compute in float).
template <typename T>
void conv(const ConvPlan& plan, const T* x, const T* w, const T* bias, T* y);
extern template void conv<float>(const ConvPlan&, const float*, const float*, const float*, float*);
extern template void conv<double>(const ConvPlan&, const double*, const double*, const double*,
                                  double*);
extern template void conv<Float16>(const ConvPlan&, const Float16*, const Float16*, const Float16*,
                                   Float16*);
extern template void conv<BFloat16>(const ConvPlan&, const BFloat16*, const BFloat16*,
                                    const BFloat16*, BFloat16*);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CONV_H_
