// Normalization layers: LayerNormalization, RMSNormalization, GroupNormalization,
// InstanceNormalization, LRN, LpNormalization and MeanVarianceNormalization.
//
// T is float, double, Float16 or BFloat16. Statistics are accumulated in double, which is at
// least as precise as any stash_type.
#ifndef INFER_PLUGINS_CPU_KERNELS_NORMALIZATION_H_
#define INFER_PLUGINS_CPU_KERNELS_NORMALIZATION_H_

#include <vector>

#include "kernels/common.h"

namespace infer::cpu {

// LayerNormalization / RMSNormalization: X is viewed as [rows, cols] split at `axis`; scale
// and bias broadcast unidirectionally onto X.
struct RowNormPlan {
  size_t axis = 0;
  int64_t rows = 0, cols = 0;
  Shape stat_shape;  // X.shape[:axis] followed by ones: the shape of Mean and InvStdDev
  Shape x_shape, scale_shape, bias_shape;
  bool has_bias = false;
};
RowNormPlan plan_row_norm(ShapeSpan x, int64_t axis, ShapeSpan scale, const ShapeSpan* bias);
// rms: y = x / sqrt(mean(x^2) + eps) * scale (no mean subtraction, no bias). mean and
// inv_std_dev (one float per row) may be null.
template <typename T>
void row_norm(const RowNormPlan& plan, bool rms, float epsilon, const T* x, const T* scale,
              const T* bias, T* y, float* mean, float* inv_std_dev);

// GroupNormalization (InstanceNormalization is groups == channels): X is [N, C, D...];
// scale and bias hold one value per channel, or per group with per_group_params (opset 18).
struct GroupNormPlan {
  int64_t batch = 0, channels = 0, groups = 0, spatial = 0;
  bool per_group_params = false;
};
GroupNormPlan plan_group_norm(ShapeSpan x, int64_t groups, bool per_group_params, ShapeSpan scale,
                              ShapeSpan bias);
template <typename T>
void group_norm(const GroupNormPlan& plan, float epsilon, const T* x, const T* scale, const T* bias,
                T* y);

// LRN across channels of X [N, C, D...]: y = x / (bias + alpha / size * sum(x^2))^beta over
// the channels [c - floor((size-1)/2), c + ceil((size-1)/2)].
struct LrnParams {
  float alpha = 1e-4f, beta = 0.75f, bias = 1.0f;
  int64_t size = 1;
};
void check_lrn_shape(ShapeSpan x);
template <typename T>
void lrn(const LrnParams& p, ShapeSpan x_shape, const T* x, T* y);

// LpNormalization along one axis ([outer, len, inner]), p 1 or 2; a zero norm gives 0.
template <typename T>
void lp_normalize(int64_t p, int64_t outer, int64_t len, int64_t inner, const T* x, T* y);

// MeanVarianceNormalization: (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9) over `axes`.
template <typename T>
void mean_variance_normalize(ShapeSpan x_shape, std::span<const int64_t> axes, const T* x, T* y);

#define INFER_CPU_NORM_EXTERN(T)                                                                  \
  extern template void row_norm<T>(const RowNormPlan&, bool, float, const T*, const T*, const T*, \
                                   T*, float*, float*);                                           \
  extern template void group_norm<T>(const GroupNormPlan&, float, const T*, const T*, const T*,   \
                                     T*);                                                         \
  extern template void lrn<T>(const LrnParams&, ShapeSpan, const T*, T*);                         \
  extern template void lp_normalize<T>(int64_t, int64_t, int64_t, int64_t, const T*, T*);         \
  extern template void mean_variance_normalize<T>(ShapeSpan, std::span<const int64_t>, const T*,  \
                                                  T*);
INFER_CPU_NORM_EXTERN(float)
INFER_CPU_NORM_EXTERN(double)
INFER_CPU_NORM_EXTERN(Float16)
INFER_CPU_NORM_EXTERN(BFloat16)
#undef INFER_CPU_NORM_EXTERN

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_NORMALIZATION_H_
