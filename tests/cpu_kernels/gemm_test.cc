#include "kernels/gemm.h"

#include "reference.h"

namespace infer::cpu::test {
namespace {

TEST(Gemm, TransposesAndBiasBroadcastMatchReference) {
  std::mt19937 rng(4);
  const int64_t M = 5, K = 7, N = 6;
  const std::optional<Dims> c_shapes[] = {std::nullopt, Dims{},     Dims{1},   Dims{N},
                                          Dims{1, N},   Dims{M, 1}, Dims{M, N}};
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      for (const std::optional<Dims>& cs : c_shapes) {
        SCOPED_TRACE(::testing::Message() << "transA " << ta << " transB " << tb << " C "
                                          << (cs ? dims_str(*cs) : "none"));
        const TTensor a = random_tensor(ta ? Dims{K, M} : Dims{M, K}, rng);
        const TTensor b = random_tensor(tb ? Dims{N, K} : Dims{K, N}, rng);
        const TTensor c = random_tensor(cs.value_or(Dims{}), rng);
        const ShapeSpan c_span(c.shape);
        const GemmPlan plan = plan_gemm(a.shape, b.shape, cs ? &c_span : nullptr, ta, tb);
        const TTensor expected = ref::gemm(a, b, cs ? &c : nullptr, 0.5f, 2.0f, ta, tb);
        ASSERT_EQ(plan.y_shape, expected.shape);
        std::vector<float> y(expected.data.size(), NAN);
        gemm_op(plan, 0.5f, 2.0f, a.data.data(), b.data.data(), cs ? c.data.data() : nullptr,
                y.data());
        expect_close(y, expected.data);
      }
    }
  }
}

TEST(Gemm, LargeAcrossBlocks) {
  std::mt19937 rng(5);
  const TTensor a = random_tensor({3, 300}, rng), b = random_tensor({700, 300}, rng);
  const TTensor c = random_tensor({700}, rng);
  const ShapeSpan c_span(c.shape);
  const GemmPlan plan = plan_gemm(a.shape, b.shape, &c_span, false, true);
  std::vector<float> y(3 * 700);
  gemm_op(plan, 1.0f, 1.0f, a.data.data(), b.data.data(), c.data.data(), y.data());
  expect_close(y, ref::gemm(a, b, &c, 1.0f, 1.0f, false, true).data, 1e-3f);
}

TEST(Gemm, BetaZeroIgnoresC) {
  const Dims a_shape{1, 1}, c_shape{1};
  const float a = 2, b = 3, c = NAN;
  const ShapeSpan c_span(c_shape);
  const GemmPlan plan = plan_gemm(a_shape, a_shape, &c_span, false, false);
  float y = 0;
  gemm_op(plan, 1.0f, 0.0f, &a, &b, &c, &y);
  EXPECT_EQ(y, 6.0f);
}

TEST(Gemm, CoreHonoursLeadingDimensionsAndBeta) {
  // A 2x3 block inside a 2x5 array times a 3x2 block inside 3x4, accumulated into 2x2 of 2x3.
  const float a[] = {1, 2, 3, 9, 9, 4, 5, 6, 9, 9};
  const float b[] = {1, 2, 9, 9, 3, 4, 9, 9, 5, 6, 9, 9};
  float c[] = {1, 1, 7, 1, 1, 7};
  gemm(false, false, 2, 2, 3, 1.0f, a, 5, b, 4, 1.0f, c, 3);
  const std::vector<float> got(c, c + 6);
  expect_close(got, {23, 29, 7, 50, 65, 7});
}

TEST(Gemm, RejectsBadShapes) {
  const Dims a{2, 3}, b{4, 5}, b_ok{3, 5}, a3{1, 2, 3}, c_bad{3, 5};
  expect_error([&] { plan_gemm(a, b, nullptr, false, false); }, INFER_INVALID_ARGUMENT,
               "inner dimensions");
  expect_error([&] { plan_gemm(a3, b_ok, nullptr, false, false); }, INFER_INVALID_ARGUMENT, "2-D");
  const ShapeSpan c_span(c_bad);
  expect_error([&] { plan_gemm(a, b_ok, &c_span, false, false); }, INFER_INVALID_ARGUMENT,
               "broadcast");
}

TEST(MatMul, MatchesReference) {
  std::mt19937 rng(6);
  const std::pair<Dims, Dims> cases[] = {
      {{3, 4}, {4, 5}},
      {{4}, {4, 5}},
      {{3, 4}, {4}},
      {{4}, {4}},
      {{2, 3, 4}, {4, 5}},
      {{4}, {2, 4, 5}},
      {{2, 1, 3, 4}, {3, 4, 2}},
      {{5, 3, 4}, {1, 4, 6}},
      {{2, 3, 4}, {2, 4, 5}},
      {{2, 0}, {0, 3}},
      {{0, 4}, {4, 3}},
      {{130, 300}, {300, 600}},
  };
  for (const auto& [as, bs] : cases) {
    SCOPED_TRACE(dims_str(as) + " x " + dims_str(bs));
    const TTensor a = random_tensor(as, rng), b = random_tensor(bs, rng);
    const MatMulPlan plan = plan_matmul(as, bs);
    const TTensor expected = ref::matmul(a, b);
    ASSERT_EQ(plan.y_shape, expected.shape);
    std::vector<float> y(expected.data.size(), NAN);
    matmul(plan, a.data.data(), b.data.data(), y.data());
    expect_close(y, expected.data, 1e-3f);
  }
}

TEST(MatMul, RejectsBadShapes) {
  const Dims a{3, 4}, b{5, 6}, a_batch{2, 3, 4}, b_batch{3, 4, 5}, scalar{};
  expect_error([&] { plan_matmul(a, b); }, INFER_INVALID_ARGUMENT, "inner dimensions");
  expect_error([&] { plan_matmul(a_batch, b_batch); }, INFER_INVALID_ARGUMENT, "broadcast");
  expect_error([&] { plan_matmul(scalar, b); }, INFER_INVALID_ARGUMENT, "rank >= 1");
}

}  // namespace
}  // namespace infer::cpu::test
