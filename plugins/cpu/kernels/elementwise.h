// Elementwise kernels: Relu, broadcasting binary ops, BatchNormalization (inference form).
#ifndef INFER_PLUGINS_CPU_KERNELS_ELEMENTWISE_H_
#define INFER_PLUGINS_CPU_KERNELS_ELEMENTWISE_H_

#include "kernels/common.h"

namespace infer::cpu {

void relu(const float* x, float* y, int64_t n);

enum class BinaryOp { kAdd, kMul };

// out = a (op) b with numpy broadcasting; out_shape must be broadcast_shapes(a_shape, b_shape).
// Integer arithmetic wraps around instead of overflowing.
template <typename T>
void binary_broadcast(BinaryOp op, const T* a, ShapeSpan a_shape, const T* b, ShapeSpan b_shape,
                      T* out, ShapeSpan out_shape);
extern template void binary_broadcast<float>(BinaryOp, const float*, ShapeSpan, const float*,
                                             ShapeSpan, float*, ShapeSpan);
extern template void binary_broadcast<int64_t>(BinaryOp, const int64_t*, ShapeSpan, const int64_t*,
                                               ShapeSpan, int64_t*, ShapeSpan);

// Writes `in` broadcast (unidirectionally) to the dense `out_shape`.
void broadcast_copy(const float* in, ShapeSpan in_shape, float* out, ShapeSpan out_shape);

// Checks that X is [N, C, ...] and the four per-channel parameters are [C].
void check_batch_norm_shapes(ShapeSpan x, ShapeSpan scale, ShapeSpan bias, ShapeSpan mean,
                             ShapeSpan var);
// y = (x - mean) / sqrt(var + epsilon) * scale + bias, per channel (dimension 1).
void batch_norm(const float* x, ShapeSpan x_shape, const float* scale, const float* bias,
                const float* mean, const float* var, float epsilon, float* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_ELEMENTWISE_H_
