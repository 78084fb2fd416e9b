// Matrix products: the GEMM core shared by Gemm, MatMul, Conv and ConvTranspose.
#ifndef INFER_PLUGINS_CPU_KERNELS_GEMM_H_
#define INFER_PLUGINS_CPU_KERNELS_GEMM_H_

#include <memory>
#include <vector>

#include "kernels/common.h"
#include "kernels/sgemm.h"

namespace infer::cpu {

// c[m, n] = alpha * op(a) * op(b) + beta * c, row-major with leading dimensions lda/ldb/ldc;
// op(x) is x or its transpose. beta == 0 overwrites c (even NaN in c). T is float, double,
// uint32_t or uint64_t (unsigned arithmetic wraps, which also gives two's complement
// products for signed integers). float runs the packed SGEMM (kernels/sgemm.h).
template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
          int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc);
extern template void gemm<float>(bool, bool, int64_t, int64_t, int64_t, float, const float*,
                                 int64_t, const float*, int64_t, float, float*, int64_t);
extern template void gemm<double>(bool, bool, int64_t, int64_t, int64_t, double, const double*,
                                  int64_t, const double*, int64_t, double, double*, int64_t);
extern template void gemm<uint32_t>(bool, bool, int64_t, int64_t, int64_t, uint32_t,
                                    const uint32_t*, int64_t, const uint32_t*, int64_t, uint32_t,
                                    uint32_t*, int64_t);
extern template void gemm<uint64_t>(bool, bool, int64_t, int64_t, int64_t, uint64_t,
                                    const uint64_t*, int64_t, const uint64_t*, int64_t, uint64_t,
                                    uint64_t*, int64_t);

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
// T: float, double, Float16, BFloat16 (the 16-bit types compute in float).
template <typename T>
void gemm_op(const GemmPlan& plan, float alpha, float beta, const T* a, const T* b, const T* c,
             T* y);

// op(B) of a MatMul or Gemm packed once at kernel creation, when input `input` of the node
// is a 2-D float32 constant (a weight); null otherwise.
std::shared_ptr<const PackedB> pack_constant_b(const plugin::NodeView& node, size_t input,
                                               bool trans_b);
// gemm_op<float> with op(B) pre-packed; plan.k and plan.n must match it.
void gemm_op_packed(const GemmPlan& plan, float alpha, float beta, const float* a, const PackedB& b,
                    const float* c, float* y);

// ONNX MatMul (numpy matmul): 1-D operands are promoted and the batch dimensions broadcast.
struct MatMulPlan {
  int64_t m = 0, n = 0, k = 0;
  Shape batch_shape;           // broadcast batch dimensions
  Shape a_strides, b_strides;  // per batch dimension, in matrices; 0 when broadcast
  Shape y_shape;
};
MatMulPlan plan_matmul(ShapeSpan a, ShapeSpan b);
// T: float, double, Float16, BFloat16 and the 32- and 64-bit integers (which wrap around).
template <typename T>
void matmul(const MatMulPlan& plan, const T* a, const T* b, T* y);
// matmul<float> plus bias (n values added to every row of y, or null), with B raw (packed_b
// null) or pre-packed (then 2-D: b_strides all 0, and plan.k and plan.n must match it).
void matmul_float(const MatMulPlan& plan, const float* a, const float* b, const PackedB* packed_b,
                  const float* bias, float* y);

#define INFER_CPU_GEMM_EXTERN(T)                                                               \
  extern template void gemm_op<T>(const GemmPlan&, float, float, const T*, const T*, const T*, \
                                  T*);                                                         \
  extern template void matmul<T>(const MatMulPlan&, const T*, const T*, T*);
INFER_CPU_GEMM_EXTERN(float)
INFER_CPU_GEMM_EXTERN(double)
INFER_CPU_GEMM_EXTERN(Float16)
INFER_CPU_GEMM_EXTERN(BFloat16)
#undef INFER_CPU_GEMM_EXTERN
extern template void matmul<int32_t>(const MatMulPlan&, const int32_t*, const int32_t*, int32_t*);
extern template void matmul<int64_t>(const MatMulPlan&, const int64_t*, const int64_t*, int64_t*);
extern template void matmul<uint32_t>(const MatMulPlan&, const uint32_t*, const uint32_t*,
                                      uint32_t*);
extern template void matmul<uint64_t>(const MatMulPlan&, const uint64_t*, const uint64_t*,
                                      uint64_t*);

// Converts between a storage type and its compute type (float for the 16-bit floats), for
// kernels that run the 16-bit types through their float code.
template <typename T>
std::vector<compute_t<T>> load_all(const T* x, int64_t n) {
  std::vector<compute_t<T>> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out[static_cast<size_t>(i)] = load(x[i]);
  return out;
}
template <typename T>
void store_all(const compute_t<T>* x, int64_t n, T* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = store<T>(x[i]);
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_GEMM_H_
