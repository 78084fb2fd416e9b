#include "kernels/quantize.h"

#include <cmath>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

std::vector<int32_t> random_ints(size_t n, std::mt19937& rng, int lo = -20, int hi = 20) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int32_t> v(n);
  for (int32_t& x : v) x = d(rng);
  return v;
}

TEST(QuantParams, PerTensorPerAxisAndBlocked) {
  const Dims x{2, 5, 3}, scalar{}, one{1}, axis1{5}, blocked{2, 3, 3};
  const QuantParamPlan t = plan_quant_params(x, scalar, std::nullopt, 1, 0);
  EXPECT_EQ(t.index(1, 4, 2), 0);
  const QuantParamPlan t1 = plan_quant_params(x, one, ShapeSpan(one), 1, 0);
  EXPECT_EQ(t1.index(1, 3, 1), 0);
  const QuantParamPlan a = plan_quant_params(x, axis1, ShapeSpan(axis1), -2, 0);
  ASSERT_EQ(a.axis_len, 5);
  for (int64_t o = 0; o < 2; ++o)
    for (int64_t ax = 0; ax < 5; ++ax)
      for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(a.index(o, ax, i), ax);
  // Blocks of 2 along axis 1: 5 -> 3 blocks, the last one short.
  const QuantParamPlan b = plan_quant_params(x, blocked, std::nullopt, 1, 2);
  for (int64_t o = 0; o < 2; ++o)
    for (int64_t ax = 0; ax < 5; ++ax)
      for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(b.index(o, ax, i), (o * 3 + ax / 2) * 3 + i);
}

TEST(QuantParams, RejectsMismatches) {
  const Dims x{2, 5, 3}, wrong{4}, zp{3}, axis1{5}, blocked{2, 2, 3};
  expect_error([&] { plan_quant_params(x, wrong, std::nullopt, 1, 0); }, INFER_INVALID_ARGUMENT,
               "per-axis");
  expect_error([&] { plan_quant_params(x, axis1, std::nullopt, 3, 0); }, INFER_INVALID_ARGUMENT,
               "out of range");
  expect_error([&] { plan_quant_params(x, axis1, ShapeSpan(zp), 1, 0); }, INFER_INVALID_ARGUMENT,
               "same shape");
  expect_error([&] { plan_quant_params(x, blocked, std::nullopt, 1, 2); }, INFER_INVALID_ARGUMENT,
               "blocked");
}

TEST(QuantizeValue, RoundsHalfToEvenAndSaturates) {
  EXPECT_EQ(quantize_value(2.5, 0, 0, 255), 2);
  EXPECT_EQ(quantize_value(3.5, 0, 0, 255), 4);
  EXPECT_EQ(quantize_value(-2.5, 10, 0, 255), 8);
  EXPECT_EQ(quantize_value(300, 0, 0, 255), 255);
  EXPECT_EQ(quantize_value(-300, 0, -128, 127), -128);
  EXPECT_EQ(quantize_value(INFINITY, 0, -128, 127), 127);
  EXPECT_EQ(quantize_value(NAN, 7, 0, 255), 7);
}

TEST(DynamicQuant, MatchesOnnxFormula) {
  // The ONNX example: x in [-1.5 .. 2.5] -> scale 4/255, zero point rint(1.5 * 255 / 4) = 96.
  const std::vector<float> x = {0, 2, -3, -2.5f, 1.34f, 0.5f};
  const DynamicQuantParams p = dynamic_quant_params(x.data(), 6);
  EXPECT_FLOAT_EQ(p.scale, 5.0f / 255.0f);
  EXPECT_EQ(p.zero_point, std::nearbyint(3.0f / (5.0f / 255.0f)));
  // All positive: the range still starts at 0, so the zero point is 0.
  const std::vector<float> pos = {1, 2, 3};
  EXPECT_EQ(dynamic_quant_params(pos.data(), 3).zero_point, 0.0f);
  // All zero: scale 1 / 255.
  const std::vector<float> zero = {0, 0};
  EXPECT_FLOAT_EQ(dynamic_quant_params(zero.data(), 2).scale, 1.0f / 255.0f);
}

TEST(IntMatMul, MatchesNaiveWithBroadcast) {
  std::mt19937 rng(1);
  const std::pair<Dims, Dims> cases[] = {
      {{3, 4}, {4, 5}}, {{2, 1, 3, 4}, {3, 4, 2}}, {{4}, {4, 3}}, {{2, 3, 4}, {4}}};
  for (const auto& [as, bs] : cases) {
    SCOPED_TRACE(dims_str(as) + " x " + dims_str(bs));
    const std::vector<int32_t> a = random_ints(static_cast<size_t>(count(as)), rng);
    const std::vector<int32_t> b = random_ints(static_cast<size_t>(count(bs)), rng);
    const MatMulPlan plan = plan_matmul(as, bs);
    std::vector<int32_t> y(static_cast<size_t>(count(plan.y_shape)));
    int_matmul(plan, a.data(), b.data(), y.data());
    // Naive: promote, broadcast batch by index arithmetic.
    const Dims ap = as.size() == 1 ? Dims{1, as[0]} : as;
    const Dims bp = bs.size() == 1 ? Dims{bs[0], 1} : bs;
    const int64_t M = ap[ap.size() - 2], K = ap.back(), N = bp.back();
    const Dims ab_shape(ap.begin(), ap.end() - 2), bb_shape(bp.begin(), bp.end() - 2);
    const size_t r = std::max(ab_shape.size(), bb_shape.size());
    Dims batch(r);
    for (size_t d = 0; d < r; ++d) {
      const int64_t da = d + ab_shape.size() >= r ? ab_shape[d + ab_shape.size() - r] : 1;
      const int64_t db = d + bb_shape.size() >= r ? bb_shape[d + bb_shape.size() - r] : 1;
      batch[d] = std::max(da, db);
    }
    const int64_t batches = count(batch);
    ASSERT_EQ(count(plan.y_shape), batches * M * N);
    // Flat batch index of an operand with batch shape s at broadcast index idx.
    auto offset = [&](const Dims& s, const Dims& idx) {
      int64_t off = 0;
      for (size_t d = 0; d < s.size(); ++d) {
        off = off * s[d] + (s[d] == 1 ? 0 : idx[d + r - s.size()]);
      }
      return off;
    };
    for (int64_t bi = 0; bi < batches; ++bi) {
      Dims idx(r);
      for (size_t d = r, rest = static_cast<size_t>(bi); d-- > 0;) {
        idx[d] = static_cast<int64_t>(rest % static_cast<size_t>(batch[d]));
        rest /= static_cast<size_t>(batch[d]);
      }
      const int64_t ab = offset(ab_shape, idx), bb = offset(bb_shape, idx);
      for (int64_t i = 0; i < M; ++i) {
        for (int64_t j = 0; j < N; ++j) {
          int64_t s = 0;
          for (int64_t k = 0; k < K; ++k) {
            s += int64_t{a[static_cast<size_t>((ab * M + i) * K + k)]} *
                 b[static_cast<size_t>((bb * K + k) * N + j)];
          }
          EXPECT_EQ(y[static_cast<size_t>((bi * M + i) * N + j)], s);
        }
      }
    }
  }
}

TEST(IntMatMul, WrapsLikeInt32) {
  const Dims as{1, 2}, bs{2, 1};
  const std::vector<int32_t> a = {65536, 65536}, b = {32768, 32768};  // 2^32 -> 0
  const MatMulPlan plan = plan_matmul(as, bs);
  int32_t y = 1;
  int_matmul(plan, a.data(), b.data(), &y);
  EXPECT_EQ(y, 0);
}

TEST(IntConv, MatchesNaive2D) {
  std::mt19937 rng(2);
  struct Case {
    Dims x, w;
    Dims strides, dilations, pads;
    int64_t group;
  };
  const Case cases[] = {
      {{1, 2, 5, 6}, {3, 2, 3, 3}, {1, 1}, {1, 1}, {1, 1, 1, 1}, 1},
      {{2, 4, 7, 5}, {4, 2, 2, 3}, {2, 1}, {1, 2}, {0, 1, 1, 0}, 2},
      {{1, 3, 4, 4}, {3, 1, 3, 3}, {1, 2}, {1, 1}, {2, 2, 2, 2}, 3},
  };
  for (const Case& c : cases) {
    ConvParams p;
    p.window.strides = c.strides;
    p.window.dilations = c.dilations;
    p.window.pads = c.pads;
    p.group = c.group;
    const ConvPlan plan = plan_conv(p, c.x, c.w, Dims{c.w[0]});
    const std::vector<int32_t> x = random_ints(static_cast<size_t>(count(c.x)), rng);
    const std::vector<int32_t> w = random_ints(static_cast<size_t>(count(c.w)), rng);
    const std::vector<int32_t> bias = random_ints(static_cast<size_t>(c.w[0]), rng);
    std::vector<int32_t> y(static_cast<size_t>(count(plan.y_shape)));
    int_conv(plan, x.data(), w.data(), bias.data(), y.data());
    const int64_t N = c.x[0], C = c.x[1], H = c.x[2], W = c.x[3];
    const int64_t M = c.w[0], KH = c.w[2], KW = c.w[3], cg = C / c.group, mg = M / c.group;
    const int64_t OH = plan.y_shape[2], OW = plan.y_shape[3];
    ASSERT_EQ(OH, (H + c.pads[0] + c.pads[2] - c.dilations[0] * (KH - 1) - 1) / c.strides[0] + 1);
    ASSERT_EQ(OW, (W + c.pads[1] + c.pads[3] - c.dilations[1] * (KW - 1) - 1) / c.strides[1] + 1);
    for (int64_t n = 0; n < N; ++n)
      for (int64_t m = 0; m < M; ++m)
        for (int64_t oh = 0; oh < OH; ++oh)
          for (int64_t ow = 0; ow < OW; ++ow) {
            int64_t s = bias[static_cast<size_t>(m)];
            for (int64_t ci = 0; ci < cg; ++ci)
              for (int64_t kh = 0; kh < KH; ++kh)
                for (int64_t kw = 0; kw < KW; ++kw) {
                  const int64_t ih = oh * c.strides[0] - c.pads[0] + kh * c.dilations[0];
                  const int64_t iw = ow * c.strides[1] - c.pads[1] + kw * c.dilations[1];
                  if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  const int64_t ch = (m / mg) * cg + ci;
                  s += int64_t{x[static_cast<size_t>(((n * C + ch) * H + ih) * W + iw)]} *
                       w[static_cast<size_t>(((m * cg + ci) * KH + kh) * KW + kw)];
                }
            EXPECT_EQ(y[static_cast<size_t>(((n * M + m) * OH + oh) * OW + ow)], s);
          }
  }
}

}  // namespace
}  // namespace infer::cpu::test
