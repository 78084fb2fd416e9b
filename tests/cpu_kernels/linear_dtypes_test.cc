// MatMul, Gemm and Conv beyond float32: float64, float16, bfloat16 and MatMul's integers.
#include "kernels/conv.h"
#include "kernels/gemm.h"
#include "reference.h"

namespace infer::cpu::test {
namespace {

// Naive batched matmul of [B, M, K] x [K, N] (b shared by all batches), in T with wrapping
// through U for integers.
template <typename T, typename U = T>
std::vector<T> ref_matmul(const std::vector<T>& a, const std::vector<T>& b, int64_t batches,
                          int64_t m, int64_t k, int64_t n) {
  std::vector<T> y(static_cast<size_t>(batches * m * n));
  for (int64_t bt = 0; bt < batches; ++bt) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        U acc = 0;
        for (int64_t p = 0; p < k; ++p) {
          acc += static_cast<U>(a[static_cast<size_t>((bt * m + i) * k + p)]) *
                 static_cast<U>(b[static_cast<size_t>(p * n + j)]);
        }
        y[static_cast<size_t>((bt * m + i) * n + j)] = static_cast<T>(acc);
      }
    }
  }
  return y;
}

template <typename T, typename U>
void check_integer_matmul(std::mt19937& rng) {
  const Dims as{2, 3, 4}, bs{4, 5};
  std::uniform_int_distribution<int64_t> dist(-1000000, 1000000);
  std::vector<T> a(24), b(20);
  for (T& v : a) v = static_cast<T>(dist(rng) * 4093);  // products overflow 32 bits
  for (T& v : b) v = static_cast<T>(dist(rng));
  const MatMulPlan plan = plan_matmul(as, bs);
  ASSERT_EQ(plan.y_shape, (Shape{2, 3, 5}));
  std::vector<T> y(30);
  matmul<T>(plan, a.data(), b.data(), y.data());
  EXPECT_EQ(y, (ref_matmul<T, U>(a, b, 2, 3, 4, 5)));
}

TEST(MatMulDtypes, IntegersWrapAround) {
  std::mt19937 rng(71);
  check_integer_matmul<int32_t, uint32_t>(rng);
  check_integer_matmul<int64_t, uint64_t>(rng);
  check_integer_matmul<uint32_t, uint32_t>(rng);
  check_integer_matmul<uint64_t, uint64_t>(rng);
}

TEST(MatMulDtypes, FloatingTypes) {
  std::mt19937 rng(72);
  const Dims as{2, 3, 4}, bs{4, 5};
  const TTensor a = random_tensor(as, rng), b = random_tensor(bs, rng);
  const MatMulPlan plan = plan_matmul(as, bs);
  const std::vector<double> ad(a.data.begin(), a.data.end()), bd(b.data.begin(), b.data.end());
  const std::vector<double> expected = ref_matmul(ad, bd, 2, 3, 4, 5);

  std::vector<double> yd(30);
  matmul<double>(plan, ad.data(), bd.data(), yd.data());
  for (size_t i = 0; i < 30; ++i) EXPECT_NEAR(yd[i], expected[i], 1e-12);

  std::vector<Float16> ah(24), bh(20), yh(30);
  std::vector<BFloat16> ab(24), bb(20), yb(30);
  for (size_t i = 0; i < 24; ++i) {
    ah[i] = {float_to_half(a.data[i])};
    ab[i] = {float_to_bfloat16(a.data[i])};
  }
  for (size_t i = 0; i < 20; ++i) {
    bh[i] = {float_to_half(b.data[i])};
    bb[i] = {float_to_bfloat16(b.data[i])};
  }
  matmul<Float16>(plan, ah.data(), bh.data(), yh.data());
  matmul<BFloat16>(plan, ab.data(), bb.data(), yb.data());
  for (size_t i = 0; i < 30; ++i) {
    EXPECT_NEAR(half_to_float(yh[i].bits), expected[i], 5e-3);
    EXPECT_NEAR(bfloat16_to_float(yb[i].bits), expected[i], 5e-2);
  }
}

TEST(MatMulDtypes, BroadcastBatchOfHalfOperand) {
  // a [3, 2] shared by b's two batches: the float16 path converts only the stored elements.
  const Dims as{3, 2}, bs{2, 2, 1};
  const float af[] = {1, 2, 3, 4, 5, 6}, bf[] = {1, -1, 2, 0.5f};
  std::vector<Float16> ah(6), bh(4), yh(6);
  for (size_t i = 0; i < 6; ++i) ah[i] = {float_to_half(af[i])};
  for (size_t i = 0; i < 4; ++i) bh[i] = {float_to_half(bf[i])};
  const MatMulPlan plan = plan_matmul(as, bs);
  ASSERT_EQ(plan.y_shape, (Shape{2, 3, 1}));
  matmul<Float16>(plan, ah.data(), bh.data(), yh.data());
  const float expected[] = {-1, -1, -1, 3, 8, 13};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(half_to_float(yh[i].bits), expected[i]) << i;
}

TEST(GemmDtypes, DoubleAndHalfWithBroadcastC) {
  std::mt19937 rng(73);
  const TTensor a = random_tensor({4, 3}, rng), b = random_tensor({5, 4}, rng);
  const TTensor c = random_tensor({5}, rng);
  const ShapeSpan c_span(c.shape);
  const GemmPlan plan = plan_gemm(a.shape, b.shape, &c_span, true, true);
  const TTensor expected = ref::gemm(a, b, &c, 0.5f, 2.0f, true, true);
  const std::vector<double> ad(a.data.begin(), a.data.end()), bd(b.data.begin(), b.data.end()),
      cd(c.data.begin(), c.data.end());
  std::vector<double> yd(15);
  gemm_op<double>(plan, 0.5f, 2.0f, ad.data(), bd.data(), cd.data(), yd.data());
  expect_close(std::vector<float>(yd.begin(), yd.end()), expected.data, 1e-5f);
  std::vector<Float16> ah(12), bh(20), ch(5), yh(15);
  for (size_t i = 0; i < 12; ++i) ah[i] = {float_to_half(a.data[i])};
  for (size_t i = 0; i < 20; ++i) bh[i] = {float_to_half(b.data[i])};
  for (size_t i = 0; i < 5; ++i) ch[i] = {float_to_half(c.data[i])};
  gemm_op<Float16>(plan, 0.5f, 2.0f, ah.data(), bh.data(), ch.data(), yh.data());
  std::vector<float> yf(15);
  for (size_t i = 0; i < 15; ++i) yf[i] = half_to_float(yh[i].bits);
  expect_close(yf, expected.data, 5e-3f);
}

TEST(ConvDtypes, DoubleAndHalfMatchReference) {
  std::mt19937 rng(74);
  const TTensor x = random_tensor({1, 4, 5, 5}, rng), w = random_tensor({6, 2, 3, 3}, rng);
  const TTensor bias = random_tensor({6}, rng);
  ref::WindowAttrs attrs;
  attrs.pads = {1, 0, 1, 1};
  attrs.strides = {2, 1};
  attrs.group = 2;
  ConvParams p;
  p.window.pads = attrs.pads;
  p.window.strides = attrs.strides;
  p.group = 2;
  const ConvPlan plan = plan_conv(p, x.shape, w.shape, ShapeSpan(bias.shape));
  const TTensor expected = ref::conv(x, w, &bias, attrs);
  ASSERT_EQ(plan.y_shape, expected.shape);
  const std::vector<double> xd(x.data.begin(), x.data.end()), wd(w.data.begin(), w.data.end()),
      bd(bias.data.begin(), bias.data.end());
  std::vector<double> yd(expected.data.size());
  conv<double>(plan, xd.data(), wd.data(), bd.data(), yd.data());
  expect_close(std::vector<float>(yd.begin(), yd.end()), expected.data, 1e-5f);
  std::vector<Float16> xh(xd.size()), wh(wd.size()), bh(6), yh(yd.size());
  for (size_t i = 0; i < xh.size(); ++i) xh[i] = {float_to_half(x.data[i])};
  for (size_t i = 0; i < wh.size(); ++i) wh[i] = {float_to_half(w.data[i])};
  for (size_t i = 0; i < 6; ++i) bh[i] = {float_to_half(bias.data[i])};
  conv<Float16>(plan, xh.data(), wh.data(), bh.data(), yh.data());
  std::vector<float> yf(yh.size());
  for (size_t i = 0; i < yh.size(); ++i) yf[i] = half_to_float(yh[i].bits);
  expect_close(yf, expected.data, 1e-2f);
}

}  // namespace
}  // namespace infer::cpu::test
