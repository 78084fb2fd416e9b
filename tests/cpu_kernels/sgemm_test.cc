#include "kernels/sgemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/parallel.h"

namespace infer::cpu::test {
namespace {

struct Case {
  bool trans_a, trans_b;
  int64_t m, n, k;
  float alpha, beta;
  int64_t pad;  // extra elements per row of a, b and c (ld > cols)
  bool bias = false;
};

std::vector<float> random_floats(int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

// Runs one case through sgemm (packed_b: through sgemm_pack_b + sgemm_packed) and compares
// with a double-accumulating triple loop; padding past each row of c must stay untouched.
void check(const Case& t, SgemmIsa isa, bool packed_b, std::mt19937& rng) {
  SCOPED_TRACE(::testing::Message()
               << sgemm_isa_name(isa) << (packed_b ? " packed" : "") << " ta " << t.trans_a
               << " tb " << t.trans_b << " m " << t.m << " n " << t.n << " k " << t.k << " alpha "
               << t.alpha << " beta " << t.beta << " pad " << t.pad << " bias " << t.bias);
  const int64_t a_rows = t.trans_a ? t.k : t.m, a_cols = t.trans_a ? t.m : t.k;
  const int64_t b_rows = t.trans_b ? t.n : t.k, b_cols = t.trans_b ? t.k : t.n;
  const int64_t lda = a_cols + t.pad, ldb = b_cols + t.pad, ldc = t.n + t.pad;
  const std::vector<float> a = random_floats(a_rows * lda, rng);
  const std::vector<float> b = random_floats(b_rows * ldb, rng);
  std::vector<float> c = random_floats(t.m * ldc, rng);
  const std::vector<float> bias = random_floats(t.bias ? t.n : 0, rng);
  if (t.beta == 0.0f) {
    for (int64_t i = 0; i < t.m; ++i) c[i * ldc] = NAN;  // beta == 0 must not read c
  }
  std::vector<double> expected(c.size());
  for (int64_t i = 0; i < t.m; ++i) {
    for (int64_t j = 0; j < ldc; ++j) {
      const size_t o = i * ldc + j;
      if (j >= t.n) {
        expected[o] = c[o];
        continue;
      }
      double sum = 0;
      for (int64_t p = 0; p < t.k; ++p) {
        const double av = t.trans_a ? a[p * lda + i] : a[i * lda + p];
        const double bv = t.trans_b ? b[j * ldb + p] : b[p * ldb + j];
        sum += av * bv;
      }
      expected[o] =
          t.alpha * sum + (t.beta == 0.0f ? 0.0 : t.beta * double{c[o]}) + (t.bias ? bias[j] : 0.0);
    }
  }
  if (packed_b) {
    const PackedB pb = sgemm_pack_b(t.trans_b, t.k, t.n, b.data(), ldb, isa);
    ASSERT_EQ(pb.k(), t.k);
    ASSERT_EQ(pb.n(), t.n);
    sgemm_packed(t.trans_a, t.m, t.alpha, a.data(), lda, pb, t.beta, c.data(), ldc,
                 t.bias ? bias.data() : nullptr);
  } else {
    sgemm(t.trans_a, t.trans_b, t.m, t.n, t.k, t.alpha, a.data(), lda, b.data(), ldb, t.beta,
          c.data(), ldc, t.bias ? bias.data() : nullptr, isa);
  }
  const double tol = 1e-5 * static_cast<double>(t.k + 4);
  for (size_t o = 0; o < c.size(); ++o) {
    ASSERT_NEAR(c[o], expected[o], tol) << "at row " << o / ldc << " col " << o % ldc;
  }
}

std::vector<SgemmIsa> compiled_isas() {
  std::vector<SgemmIsa> isas;
  for (SgemmIsa isa : {SgemmIsa::kPortable, SgemmIsa::kAvx2, SgemmIsa::kAvx512}) {
    if (sgemm_isa_supported(isa)) isas.push_back(isa);
  }
  return isas;
}

// Sizes around the tile and block edges of every micro-kernel.
const int64_t kSizes[] = {1, 7, 13, 33, 100, 257};

void run_shapes(SgemmIsa isa, bool packed_b, std::mt19937& rng) {
  for (int64_t m : kSizes) {
    for (int64_t n : kSizes) {
      for (int64_t k : {int64_t{1}, int64_t{13}, int64_t{100}, int64_t{257}, int64_t{800}}) {
        // Keep the reference loop affordable: the trans/alpha/beta grid on the smaller shapes.
        const bool big = m * n * k > 200000;
        for (int variant = 0; variant < (big ? 1 : 4); ++variant) {
          const Case t{(variant & 1) != 0,
                       (variant & 2) != 0,
                       m,
                       n,
                       k,
                       variant == 0 ? 1.0f : 0.5f,
                       variant == 1 ? 0.0f : (variant == 3 ? 1.0f : -2.0f),
                       variant == 2 ? 3 : 0,
                       variant == 3};
          ASSERT_NO_FATAL_FAILURE(check(t, isa, packed_b, rng));
        }
      }
    }
  }
}

TEST(Sgemm, EveryIsaMatchesReference) {
  std::mt19937 rng(1);
  for (SgemmIsa isa : compiled_isas()) run_shapes(isa, false, rng);
}

TEST(Sgemm, PackedBMatchesReference) {
  std::mt19937 rng(2);
  for (SgemmIsa isa : compiled_isas()) run_shapes(isa, true, rng);
}

TEST(Sgemm, TwoThreadsMatchReference) {
  IntraOpPool pool(2);
  ScopedIntraOpPool scope(&pool);
  std::mt19937 rng(3);
  for (SgemmIsa isa : compiled_isas()) {
    for (bool packed : {false, true}) {
      for (const Case& t : {Case{false, false, 300, 500, 200, 1.0f, 0.0f, 0},
                            Case{true, true, 257, 33, 300, 0.5f, 2.0f, 5},
                            Case{false, true, 7, 1000, 64, 1.0f, 1.0f, 0, true},
                            Case{true, false, 1000, 7, 129, -1.0f, 0.0f, 1}}) {
        ASSERT_NO_FATAL_FAILURE(check(t, isa, packed, rng));
      }
    }
  }
}

TEST(Sgemm, EmptyInnerDimensionScalesC) {
  std::vector<float> c = {1.0f, NAN, 3.0f, 4.0f};
  sgemm(false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 2.0f, c.data(), 2);
  EXPECT_EQ(c[0], 2.0f);
  EXPECT_EQ(c[3], 8.0f);
  sgemm(false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.0f, c.data(), 2);
  EXPECT_EQ(c, std::vector<float>(4, 0.0f));
  const float bias[] = {1.0f, -1.0f};
  sgemm(false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.0f, c.data(), 2, bias);
  EXPECT_EQ(c, (std::vector<float>{1.0f, -1.0f, 1.0f, -1.0f}));
}

// Batched MatMul: a shared B (stacked into one GEMM), true batches in parallel, broadcast A, the
// pre-packed B path and the bias; all against the per-matrix reference.
TEST(Sgemm, BatchedMatMulPaths) {
  IntraOpPool pool(2);
  ScopedIntraOpPool scope(&pool);
  std::mt19937 rng(4);
  const int64_t M = 9, K = 40, N = 35;
  struct Shapes {
    Shape a, b;
  };
  for (const Shapes& s :
       {Shapes{{3, 2, M, K}, {K, N}}, Shapes{{3, 2, M, K}, {3, 2, K, N}}, Shapes{{M, K}, {4, K, N}},
        Shapes{{2, 1, M, K}, {3, K, N}}, Shapes{{1, 5, M, K}, {K, N}}}) {
    SCOPED_TRACE(::testing::Message() << shape_str(s.a) << " x " << shape_str(s.b));
    const MatMulPlan plan = plan_matmul(s.a, s.b);
    const std::vector<float> a = random_floats(numel(s.a), rng), b = random_floats(numel(s.b), rng);
    std::vector<float> y(static_cast<size_t>(numel(plan.y_shape)), NAN);
    matmul<float>(plan, a.data(), b.data(), y.data());
    const int64_t batches = numel(plan.batch_shape);
    // Matrix indices by hand: row-major over the broadcast batch shape.
    for (int64_t i = 0; i < batches; ++i) {
      int64_t a_mat = 0, b_mat = 0, rest = i;
      for (size_t d = plan.batch_shape.size(); d-- > 0;) {
        a_mat += rest % plan.batch_shape[d] * plan.a_strides[d];
        b_mat += rest % plan.batch_shape[d] * plan.b_strides[d];
        rest /= plan.batch_shape[d];
      }
      for (int64_t r = 0; r < M; ++r) {
        for (int64_t j = 0; j < N; ++j) {
          double sum = 0;
          for (int64_t p = 0; p < K; ++p) {
            sum += double{a[(a_mat * M + r) * K + p]} * b[(b_mat * K + p) * N + j];
          }
          ASSERT_NEAR(y[(i * M + r) * N + j], sum, 1e-4) << "batch " << i;
        }
      }
    }
    if (s.b.size() == 2) {
      const PackedB packed = sgemm_pack_b(false, K, N, b.data(), N);
      std::vector<float> y2(y.size(), NAN);
      matmul_float(plan, a.data(), nullptr, &packed, nullptr, y2.data());
      EXPECT_EQ(y2, y);
    }
    const std::vector<float> bias = random_floats(N, rng);
    std::vector<float> y3(y.size(), NAN);
    matmul_float(plan, a.data(), b.data(), nullptr, bias.data(), y3.data());
    for (size_t o = 0; o < y.size(); ++o) ASSERT_NEAR(y3[o], y[o] + bias[o % N], 1e-5);
  }
}

}  // namespace
}  // namespace infer::cpu::test
