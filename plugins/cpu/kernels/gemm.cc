#include "kernels/gemm.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/parallel.h"

namespace infer::cpu {

namespace {
// Panel of op(b) kept hot in cache while every row of c is updated with it.
constexpr int64_t kBlockK = 128;
constexpr int64_t kBlockN = 512;

// The portable GEMM for the types without a packed kernel (double and the integers).
template <typename T>
void gemm_generic(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
                  int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  for (int64_t i = 0; i < m; ++i) {
    T* row = c + i * ldc;
    if (beta == T{0}) {
      std::fill(row, row + n, T{0});
    } else if (beta != T{1}) {
      for (int64_t j = 0; j < n; ++j) row[j] *= beta;
    }
  }
  if (k <= 0) return;
  // Packing op(b) into a dense panel makes both transposes look the same to the inner loop,
  // which then streams contiguously through the panel and a row of c.
  std::vector<T> panel(static_cast<size_t>(std::min(k, kBlockK) * std::min(n, kBlockN)));
  for (int64_t j0 = 0; j0 < n; j0 += kBlockN) {
    const int64_t nb = std::min(kBlockN, n - j0);
    for (int64_t p0 = 0; p0 < k; p0 += kBlockK) {
      const int64_t kb = std::min(kBlockK, k - p0);
      for (int64_t p = 0; p < kb; ++p) {
        T* dst = panel.data() + p * nb;
        if (trans_b) {
          for (int64_t j = 0; j < nb; ++j) dst[j] = b[(j0 + j) * ldb + p0 + p];
        } else {
          std::copy_n(b + (p0 + p) * ldb + j0, nb, dst);
        }
      }
      for (int64_t i = 0; i < m; ++i) {
        T* row = c + i * ldc + j0;
        for (int64_t p = 0; p < kb; ++p) {
          const T av = alpha * (trans_a ? a[(p0 + p) * lda + i] : a[i * lda + p0 + p]);
          const T* src = panel.data() + p * nb;
          for (int64_t j = 0; j < nb; ++j) row[j] += av * src[j];
        }
      }
    }
  }
}

}  // namespace

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
          int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  if constexpr (std::is_same_v<T, float>) {
    sgemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    gemm_generic<T>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
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
  numel(p.y_shape);
  if (c) {
    p.has_c = true;
    p.c_shape.assign(c->begin(), c->end());
    broadcast_strides(p.c_shape, p.y_shape);  // validates unidirectional broadcasting
  }
  return p;
}

namespace {

// Broadcasts C into y when it takes part (has_c and beta != 0): the GEMM then accumulates
// into y with beta, else overwrites it.
template <typename T>
bool broadcast_c(const GemmPlan& plan, float beta, const T* c, T* y) {
  if (!plan.has_c || beta == 0.0f) return false;
  const Shape strides = broadcast_strides(plan.c_shape, plan.y_shape);
  for_each_broadcast_run(
      plan.y_shape, strides, strides,
      [&](int64_t y_off, int64_t c_off, int64_t, int64_t len, int64_t c_step, int64_t) {
        for (int64_t j = 0; j < len; ++j) y[y_off + j] = c[c_off + j * c_step];
      });
  return true;
}

}  // namespace

template <typename T>
void gemm_op(const GemmPlan& plan, float alpha, float beta, const T* a, const T* b, const T* c,
             T* y) {
  if constexpr (!std::is_same_v<T, compute_t<T>>) {
    const std::vector<float> af = load_all(a, plan.m * plan.k), bf = load_all(b, plan.k * plan.n);
    const std::vector<float> cf =
        plan.has_c ? load_all(c, numel(plan.c_shape)) : std::vector<float>{};
    std::vector<float> yf(static_cast<size_t>(plan.m * plan.n));
    gemm_op<float>(plan, alpha, beta, af.data(), bf.data(), plan.has_c ? cf.data() : nullptr,
                   yf.data());
    store_all(yf.data(), plan.m * plan.n, y);
  } else {
    const bool use_c = broadcast_c(plan, beta, c, y);
    gemm<T>(plan.trans_a, plan.trans_b, plan.m, plan.n, plan.k, static_cast<T>(alpha), a,
            plan.trans_a ? plan.m : plan.k, b, plan.trans_b ? plan.k : plan.n,
            use_c ? static_cast<T>(beta) : T{0}, y, plan.n);
  }
}

void gemm_op_packed(const GemmPlan& plan, float alpha, float beta, const float* a, const PackedB& b,
                    const float* c, float* y) {
  const bool use_c = broadcast_c(plan, beta, c, y);
  sgemm_packed(plan.trans_a, plan.m, alpha, a, plan.trans_a ? plan.m : plan.k, b,
               use_c ? beta : 0.0f, y, plan.n);
}

std::shared_ptr<const PackedB> pack_constant_b(const plugin::NodeView& node, size_t input,
                                               bool trans_b) {
  if (!node.has_input(input)) return nullptr;
  const infer_value_info info = node.value(node.input(input));
  const infer_tensor_view& t = info.constant;
  if (!info.is_constant || t.dtype != INFER_DTYPE_FLOAT32 || t.rank != 2) return nullptr;
  const int64_t rows = t.shape[0], cols = t.shape[1];
  return std::make_shared<const PackedB>(sgemm_pack_b(trans_b, trans_b ? cols : rows,
                                                      trans_b ? rows : cols,
                                                      static_cast<const float*>(t.data), cols));
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
  numel(a_in);
  numel(b_in);
  numel(p.y_shape);
  return p;
}

namespace {

// Batched GEMM over the broadcast batch dimensions, in a type gemm() implements.
template <typename T>
void batched_matmul(const MatMulPlan& p, const T* a, const T* b, T* y) {
  const int64_t batches = numel(p.batch_shape);
  const size_t rank = p.batch_shape.size();
  Shape index(rank, 0);
  int64_t a_mat = 0, b_mat = 0;  // matrix index into a and b for the current batch
  for (int64_t i = 0; i < batches; ++i) {
    gemm<T>(false, false, p.m, p.n, p.k, T{1}, a + a_mat * p.m * p.k, p.k, b + b_mat * p.k * p.n,
            p.n, T{0}, y + i * p.m * p.n, p.n);
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

// The matrix of an operand (by its batch strides) that batch i of the result reads.
int64_t batch_matrix(const MatMulPlan& p, const Shape& strides, int64_t i) {
  int64_t mat = 0;
  for (size_t d = p.batch_shape.size(); d-- > 0;) {
    mat += i % p.batch_shape[d] * strides[d];
    i /= p.batch_shape[d];
  }
  return mat;
}

}  // namespace

void matmul_float(const MatMulPlan& p, const float* a, const float* b, const PackedB* packed,
                  const float* bias, float* y) {
  const int64_t batches = numel(p.batch_shape);
  const auto product = [&](int64_t a_mat, const float* b_mat, int64_t rows, float* out) {
    if (packed) {
      sgemm_packed(false, rows, 1.0f, a + a_mat * p.m * p.k, p.k, *packed, 0.0f, out, p.n, bias);
    } else {
      sgemm(false, false, rows, p.n, p.k, 1.0f, a + a_mat * p.m * p.k, p.k, b_mat, p.n, 0.0f, out,
            p.n, bias);
    }
  };
  // A shared B with batches of A laid out one after another (a linear layer on [B, S, K]) is
  // a single GEMM with the batches stacked into M.
  bool b_shared = true, a_dense = true;
  int64_t dense = 1;
  for (size_t d = p.batch_shape.size(); d-- > 0;) {
    b_shared = b_shared && p.b_strides[d] == 0;
    a_dense = a_dense && (p.a_strides[d] == dense || p.batch_shape[d] == 1);
    dense *= p.batch_shape[d];
  }
  if (b_shared && a_dense) {
    product(0, b, batches * p.m, y);
    return;
  }
  // True batches (attention): one task per matrix product, each single-threaded, unless there
  // are fewer products than threads and each one is better split itself.
  const auto one = [&](int64_t i) {
    product(batch_matrix(p, p.a_strides, i), b + batch_matrix(p, p.b_strides, i) * p.k * p.n, p.m,
            y + i * p.m * p.n);
  };
  if (batches >= intra_op_threads()) {
    parallel_tasks(batches, one);
  } else {
    for (int64_t i = 0; i < batches; ++i) one(i);
  }
}

namespace {

// Elements of the operands as stored (broadcast batches are not repeated).
int64_t operand_size(const MatMulPlan& p, const Shape& strides, int64_t rows, int64_t cols) {
  int64_t mats = 1;
  for (size_t d = 0; d < strides.size(); ++d) {
    if (strides[d] != 0) mats = std::max(mats, strides[d] * p.batch_shape[d]);
  }
  return mats * rows * cols;
}

}  // namespace

template <typename T>
void matmul(const MatMulPlan& p, const T* a, const T* b, T* y) {
  if constexpr (std::is_same_v<T, float>) {
    matmul_float(p, a, b, nullptr, nullptr, y);
  } else if constexpr (std::is_same_v<T, double> || std::is_same_v<T, uint32_t> ||
                       std::is_same_v<T, uint64_t>) {
    batched_matmul<T>(p, a, b, y);
  } else if constexpr (std::is_integral_v<T>) {
    // Signed integers through their unsigned twins: the same bits, without overflow UB.
    using U = std::make_unsigned_t<T>;
    batched_matmul<U>(p, reinterpret_cast<const U*>(a), reinterpret_cast<const U*>(b),
                      reinterpret_cast<U*>(y));
  } else {
    const std::vector<float> af = load_all(a, operand_size(p, p.a_strides, p.m, p.k));
    const std::vector<float> bf = load_all(b, operand_size(p, p.b_strides, p.k, p.n));
    const int64_t ny = numel(p.y_shape);
    std::vector<float> yf(static_cast<size_t>(ny));
    matmul_float(p, af.data(), bf.data(), nullptr, nullptr, yf.data());
    store_all(yf.data(), ny, y);
  }
}

template void gemm<float>(bool, bool, int64_t, int64_t, int64_t, float, const float*, int64_t,
                          const float*, int64_t, float, float*, int64_t);
template void gemm<double>(bool, bool, int64_t, int64_t, int64_t, double, const double*, int64_t,
                           const double*, int64_t, double, double*, int64_t);
template void gemm<uint32_t>(bool, bool, int64_t, int64_t, int64_t, uint32_t, const uint32_t*,
                             int64_t, const uint32_t*, int64_t, uint32_t, uint32_t*, int64_t);
template void gemm<uint64_t>(bool, bool, int64_t, int64_t, int64_t, uint64_t, const uint64_t*,
                             int64_t, const uint64_t*, int64_t, uint64_t, uint64_t*, int64_t);
#define INFER_CPU_GEMM_INSTANTIATE(T)                                                        \
  template void gemm_op<T>(const GemmPlan&, float, float, const T*, const T*, const T*, T*); \
  template void matmul<T>(const MatMulPlan&, const T*, const T*, T*);
INFER_CPU_GEMM_INSTANTIATE(float)
INFER_CPU_GEMM_INSTANTIATE(double)
INFER_CPU_GEMM_INSTANTIATE(Float16)
INFER_CPU_GEMM_INSTANTIATE(BFloat16)
#undef INFER_CPU_GEMM_INSTANTIATE
template void matmul<int32_t>(const MatMulPlan&, const int32_t*, const int32_t*, int32_t*);
template void matmul<int64_t>(const MatMulPlan&, const int64_t*, const int64_t*, int64_t*);
template void matmul<uint32_t>(const MatMulPlan&, const uint32_t*, const uint32_t*, uint32_t*);
template void matmul<uint64_t>(const MatMulPlan&, const uint64_t*, const uint64_t*, uint64_t*);

}  // namespace infer::cpu
