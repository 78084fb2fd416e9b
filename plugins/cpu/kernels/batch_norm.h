// BatchNormalization, inference form.
#ifndef INFER_PLUGINS_CPU_KERNELS_BATCH_NORM_H_
#define INFER_PLUGINS_CPU_KERNELS_BATCH_NORM_H_

#include "kernels/common.h"

namespace infer::cpu {

// Checks that X is [N, C, ...] and the four per-channel parameters are [C].
void check_batch_norm_shapes(ShapeSpan x, ShapeSpan scale, ShapeSpan bias, ShapeSpan mean,
                             ShapeSpan var);
// y = (x - mean) / sqrt(var + epsilon) * scale + bias, per channel (dimension 1).
void batch_norm(const float* x, ShapeSpan x_shape, const float* scale, const float* bias,
                const float* mean, const float* var, float epsilon, float* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_BATCH_NORM_H_
