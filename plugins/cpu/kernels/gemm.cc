#include "kernels/gemm.h"

#include <algorithm>
#include <vector>

#include "kernels/elementwise.h"

namespace infer::cpu {

namespace {
// Panel of op(b) kept hot in cache while every row of c is updated with it.
constexpr int64_t kBlockK = 128;
constexpr int64_t kBlockN = 512;
}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  for (int64_t i = 0; i < m; ++i) {
    float* row = c + i * ldc;
    if (beta == 0.0f) {
      std::fill(row, row + n, 0.0f);
    } else if (beta != 1.0f) {
      for (int64_t j = 0; j < n; ++j) row[j] *= beta;
    }
  }
  if (k <= 0) return;
  // Packing op(b) into a dense panel makes both transposes look the same to the inner loop,
  // which then streams contiguously through the panel and a row of c.
  std::vector<float> panel(static_cast<size_t>(std::min(k, kBlockK) * std::min(n, kBlockN)));
  for (int64_t j0 = 0; j0 < n; j0 += kBlockN) {
    const int64_t nb = std::min(kBlockN, n - j0);
    for (int64_t p0 = 0; p0 < k; p0 += kBlockK) {
      const int64_t kb = std::min(kBlockK, k - p0);
      for (int64_t p = 0; p < kb; ++p) {
        float* dst = panel.data() + p * nb;
        if (trans_b) {
          for (int64_t j = 0; j < nb; ++j) dst[j] = b[(j0 + j) * ldb + p0 + p];
        } else {
          std::copy_n(b + (p0 + p) * ldb + j0, nb, dst);
        }
      }
      for (int64_t i = 0; i < m; ++i) {
        float* row = c + i * ldc + j0;
        for (int64_t p = 0; p < kb; ++p) {
          const float av = alpha * (trans_a ? a[(p0 + p) * lda + i] : a[i * lda + p0 + p]);
          const float* src = panel.data() + p * nb;
          for (int64_t j = 0; j < nb; ++j) row[j] += av * src[j];
        }
      }
    }
  }
}

GemmPlan plan_gemm(ShapeSpan a, ShapeSpan b, const ShapeSpan* c, bool trans_a, bool trans_b) {
  if (a.size() != 2 || b.size() != 2) {
    fail_input(str_cat("A and B must be 2-D, got ", shape_str(a), " and ", shape_str(b)));
  }
  GemmPlan p;
  p.trans_a = trans_a;
  p.trans_b = trans_b;
  p.m = trans_a ? a[1] : a[0];
  p.k = trans_a ? a[0] : a[1];
  const int64_t kb = trans_b ? b[1] : b[0];
  p.n = trans_b ? b[0] : b[1];
  if (p.k != kb) {
    fail_input(str_cat("inner dimensions differ: A", shape_str(a), trans_a ? "^T" : "", " * B",
                       shape_str(b), trans_b ? "^T" : ""));
  }
  p.y_shape = {p.m, p.n};
  if (c) {
    p.has_c = true;
    p.c_shape.assign(c->begin(), c->end());
    broadcast_strides(p.c_shape, p.y_shape);  // validates unidirectional broadcasting
  }
  return p;
}

void gemm_op(const GemmPlan& plan, float alpha, float beta, const float* a, const float* b,
             const float* c, float* y) {
  const bool use_c = plan.has_c && beta != 0.0f;
  if (use_c) {
    broadcast_copy(c, plan.c_shape, y, plan.y_shape);
  }
  gemm(plan.trans_a, plan.trans_b, plan.m, plan.n, plan.k, alpha, a, plan.trans_a ? plan.m : plan.k,
       b, plan.trans_b ? plan.k : plan.n, use_c ? beta : 0.0f, y, plan.n);
}

MatMulPlan plan_matmul(ShapeSpan a_in, ShapeSpan b_in) {
  if (a_in.empty() || b_in.empty()) {
    fail_input(str_cat("MatMul operands must have rank >= 1, got ", shape_str(a_in), " and ",
                       shape_str(b_in)));
  }
  // Promote 1-D operands to matrices: a [K] -> [1, K], b [K] -> [K, 1].
  const Shape a = a_in.size() == 1 ? Shape{1, a_in[0]} : Shape(a_in.begin(), a_in.end());
  const Shape b = b_in.size() == 1 ? Shape{b_in[0], 1} : Shape(b_in.begin(), b_in.end());
  MatMulPlan p;
  p.m = a[a.size() - 2];
  p.k = a[a.size() - 1];
  p.n = b[b.size() - 1];
  if (b[b.size() - 2] != p.k) {
    fail_input(str_cat("inner dimensions differ: ", shape_str(a_in), " x ", shape_str(b_in)));
  }
  const ShapeSpan a_batch(a.data(), a.size() - 2), b_batch(b.data(), b.size() - 2);
  p.batch_shape = broadcast_shapes(a_batch, b_batch);
  p.a_strides = broadcast_strides(a_batch, p.batch_shape);
  p.b_strides = broadcast_strides(b_batch, p.batch_shape);
  // The promoted dimensions are removed again from the result.
  const int64_t matrix[] = {p.m, p.n};
  p.y_shape = p.batch_shape;
  p.y_shape.insert(p.y_shape.end(), matrix + (a_in.size() > 1 ? 0 : 1),
                   matrix + (b_in.size() > 1 ? 2 : 1));
  numel(p.y_shape);
  return p;
}

void matmul(const MatMulPlan& p, const float* a, const float* b, float* y) {
  const int64_t batches = numel(p.batch_shape);
  const size_t rank = p.batch_shape.size();
  Shape index(rank, 0);
  int64_t a_mat = 0, b_mat = 0;  // matrix index into a and b for the current batch
  for (int64_t i = 0; i < batches; ++i) {
    gemm(false, false, p.m, p.n, p.k, 1.0f, a + a_mat * p.m * p.k, p.k, b + b_mat * p.k * p.n, p.n,
         0.0f, y + i * p.m * p.n, p.n);
    for (size_t d = rank; d-- > 0;) {  // odometer, innermost batch dimension first
      a_mat += p.a_strides[d];
      b_mat += p.b_strides[d];
      if (++index[d] < p.batch_shape[d]) break;
      a_mat -= p.a_strides[d] * p.batch_shape[d];
      b_mat -= p.b_strides[d] * p.batch_shape[d];
      index[d] = 0;
    }
  }
}

}  // namespace infer::cpu
