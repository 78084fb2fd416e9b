// Pooling: MaxPool, AveragePool (1-D to 3-D windows) and GlobalAveragePool, NCHW.
#ifndef INFER_PLUGINS_CPU_KERNELS_POOL_H_
#define INFER_PLUGINS_CPU_KERNELS_POOL_H_

#include "kernels/window.h"

namespace infer::cpu {

struct PoolPlan {
  int64_t planes = 0;  // N * C
  WindowGeometry geo;
  Shape y_shape;
};

// X [N, C, D...] with p.kernel_shape giving the window (required for pooling).
PoolPlan plan_pool(const WindowParams& p, ShapeSpan x);
void max_pool(const PoolPlan& plan, const float* x, float* y);
// count_include_pad: divide by the taps inside the padded extent rather than the real ones.
void average_pool(const PoolPlan& plan, bool count_include_pad, const float* x, float* y);

// [N, C, D...] -> [N, C, 1...]
Shape global_pool_shape(ShapeSpan x);
void global_average_pool(const float* x, ShapeSpan x_shape, float* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_POOL_H_
