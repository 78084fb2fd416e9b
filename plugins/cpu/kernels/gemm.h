// Matrix products: the GEMM core shared by Gemm, MatMul and Conv.
#ifndef INFER_PLUGINS_CPU_KERNELS_GEMM_H_
#define INFER_PLUGINS_CPU_KERNELS_GEMM_H_

#include "kernels/common.h"

namespace infer::cpu {

// c[m, n] = alpha * op(a) * op(b) + beta * c, row-major with leading dimensions lda/ldb/ldc;
// op(x) is x or its transpose. beta == 0 overwrites c (even NaN in c).
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// ONNX Gemm: Y = alpha * A' * B' + beta * C, with C unidirectionally broadcast to [M, N].
struct GemmPlan {
  int64_t m = 0, n = 0, k = 0;
  bool trans_a = false, trans_b = false;
  Shape c_shape;  // empty when there is no C
  bool has_c = false;
  Shape y_shape;
};
// Validates the shapes (A and B 2-D, inner dimensions equal, C broadcastable to [M, N]).
GemmPlan plan_gemm(ShapeSpan a, ShapeSpan b, const ShapeSpan* c, bool trans_a, bool trans_b);
void gemm_op(const GemmPlan& plan, float alpha, float beta, const float* a, const float* b,
             const float* c, float* y);

// ONNX MatMul (numpy matmul): 1-D operands are promoted and the batch dimensions broadcast.
struct MatMulPlan {
  int64_t m = 0, n = 0, k = 0;
  Shape batch_shape;           // broadcast batch dimensions
  Shape a_strides, b_strides;  // per batch dimension, in matrices; 0 when broadcast
  Shape y_shape;
};
MatMulPlan plan_matmul(ShapeSpan a, ShapeSpan b);
void matmul(const MatMulPlan& plan, const float* a, const float* b, float* y);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_GEMM_H_
