#include "kernels/reduce.h"

#include <algorithm>
#include <limits>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

// Multi-index of the flat position i in shape.
Dims unravel(int64_t i, const Dims& shape) {
  Dims idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = i % shape[d];
    i /= shape[d];
  }
  return idx;
}

// Naive reference: gathers the values of every output group, then applies the op in double.
std::vector<double> ref_reduce(ReduceOp op, const std::vector<double>& x, const Dims& shape,
                               const std::vector<bool>& reduced) {
  Dims out_shape;
  for (size_t d = 0; d < shape.size(); ++d) out_shape.push_back(reduced[d] ? 1 : shape[d]);
  std::vector<std::vector<double>> groups(static_cast<size_t>(count(out_shape)));
  for (int64_t i = 0; i < count(shape); ++i) {
    Dims idx = unravel(i, shape);
    int64_t o = 0;
    for (size_t d = 0; d < shape.size(); ++d) o = o * out_shape[d] + (reduced[d] ? 0 : idx[d]);
    groups[static_cast<size_t>(o)].push_back(x[static_cast<size_t>(i)]);
  }
  std::vector<double> out;
  const double inf = std::numeric_limits<double>::infinity();
  for (const std::vector<double>& g : groups) {
    double r = 0;
    switch (op) {
      case ReduceOp::kSum:
        for (double v : g) r += v;
        break;
      case ReduceOp::kMean:
        for (double v : g) r += v;
        r /= static_cast<double>(g.size());
        break;
      case ReduceOp::kMax:
        r = -inf;
        for (double v : g) r = std::max(r, v);
        break;
      case ReduceOp::kMin:
        r = inf;
        for (double v : g) r = std::min(r, v);
        break;
      case ReduceOp::kProd:
        r = 1;
        for (double v : g) r *= v;
        break;
      case ReduceOp::kL1:
        for (double v : g) r += std::fabs(v);
        break;
      case ReduceOp::kL2:
        for (double v : g) r += v * v;
        r = std::sqrt(r);
        break;
      case ReduceOp::kLogSum:
        for (double v : g) r += v;
        r = std::log(r);
        break;
      case ReduceOp::kLogSumExp:
        for (double v : g) r += std::exp(v);
        r = std::log(r);
        break;
      case ReduceOp::kSumSquare:
        for (double v : g) r += v * v;
        break;
    }
    out.push_back(r);
  }
  return out;
}

// Equal infinities and NaN pairs count as close (empty groups give -inf, NaN).
bool close(double a, double e, double tol) {
  return a == e || (std::isnan(a) && std::isnan(e)) || std::fabs(a - e) <= tol * (1 + std::fabs(e));
}

const ReduceOp kAllOps[] = {
    ReduceOp::kSum, ReduceOp::kMean, ReduceOp::kMax,    ReduceOp::kMin,       ReduceOp::kProd,
    ReduceOp::kL1,  ReduceOp::kL2,   ReduceOp::kLogSum, ReduceOp::kLogSumExp, ReduceOp::kSumSquare};

struct AxesCase {
  Dims shape;
  Dims axes;
  bool noop = false;
};

const AxesCase kAxesCases[] = {
    {{2, 3, 4}, {1}},       {{2, 3, 4}, {0, 2}}, {{2, 3, 4}, {-1}}, {{2, 3, 4}, {}},
    {{2, 3, 4}, {}, true},  {{3, 1, 5}, {2, 0}}, {{5}, {0}},        {{2, 3, 4, 5}, {1, 2}},
    {{2, 3, 4, 5}, {0, 3}}, {{4, 6}, {1}},       {{2, 0, 3}, {1}},  {{2, 0, 3}, {2}},
};

std::vector<bool> reduced_axes(const AxesCase& c) {
  std::vector<bool> r(c.shape.size(), c.axes.empty() && !c.noop);
  for (int64_t a : c.axes)
    r[static_cast<size_t>(a < 0 ? a + static_cast<int64_t>(r.size()) : a)] = true;
  return r;
}

TEST(Reduce, FloatOpsMatchReference) {
  std::mt19937 rng(21);
  for (const AxesCase& c : kAxesCases) {
    for (bool keepdims : {true, false}) {
      const ReducePlan plan = plan_reduce(c.shape, c.axes, keepdims, c.noop);
      const std::vector<bool> reduced = reduced_axes(c);
      Dims expected_shape;
      for (size_t d = 0; d < c.shape.size(); ++d) {
        if (!reduced[d]) {
          expected_shape.push_back(c.shape[d]);
        } else if (keepdims) {
          expected_shape.push_back(1);
        }
      }
      ASSERT_EQ(plan.y_shape, expected_shape) << dims_str(c.shape) << " axes " << dims_str(c.axes);
      // Positive inputs keep the log-sums finite.
      const TTensor x = random_tensor(c.shape, rng, 0.1f, 1.5f);
      const std::vector<double> xd(x.data.begin(), x.data.end());
      for (ReduceOp op : kAllOps) {
        SCOPED_TRACE(::testing::Message()
                     << dims_str(c.shape) << " axes " << dims_str(c.axes) << " keepdims "
                     << keepdims << " op " << static_cast<int>(op));
        const std::vector<double> expected = ref_reduce(op, xd, c.shape, reduced);
        std::vector<float> y(static_cast<size_t>(count(plan.y_shape)), NAN);
        reduce<float>(op, plan, x.data.data(), y.data());
        std::vector<double> yd(y.size());
        reduce<double>(op, plan, xd.data(), yd.data());
        for (size_t i = 0; i < y.size(); ++i) {
          EXPECT_TRUE(close(y[i], expected[i], 1e-5)) << i << ": " << y[i] << " vs " << expected[i];
          EXPECT_TRUE(close(yd[i], expected[i], 1e-12)) << i << ": " << yd[i];
        }
      }
    }
  }
}

TEST(Reduce, EmptySetGivesIdentity) {
  const Dims shape{2, 0, 3};
  const ReducePlan plan = plan_reduce(shape, Dims{1}, true, false);
  ASSERT_EQ(plan.y_shape, (Dims{2, 1, 3}));
  const float inf = std::numeric_limits<float>::infinity();
  const std::pair<ReduceOp, float> cases[] = {
      {ReduceOp::kSum, 0.0f},    {ReduceOp::kProd, 1.0f},      {ReduceOp::kMax, -inf},
      {ReduceOp::kMin, inf},     {ReduceOp::kL1, 0.0f},        {ReduceOp::kL2, 0.0f},
      {ReduceOp::kLogSum, -inf}, {ReduceOp::kLogSumExp, -inf}, {ReduceOp::kSumSquare, 0.0f},
  };
  for (const auto& [op, value] : cases) {
    std::vector<float> y(6, 42.0f);
    reduce<float>(op, plan, nullptr, y.data());
    for (float v : y) EXPECT_EQ(v, value) << static_cast<int>(op);
  }
  std::vector<float> y(6, 42.0f);
  reduce<float>(ReduceOp::kMean, plan, nullptr, y.data());
  EXPECT_TRUE(std::isnan(y[0]));
  std::vector<int32_t> yi(6);
  reduce<int32_t>(ReduceOp::kMax, plan, nullptr, yi.data());
  EXPECT_EQ(yi[0], std::numeric_limits<int32_t>::lowest());
}

TEST(Reduce, IntegersWrapAndTruncate) {
  const Dims shape{2, 3};
  const ReducePlan plan = plan_reduce(shape, Dims{1}, false, false);
  const int8_t x[] = {100, 100, 100, -7, 2, -1};
  int8_t y[2];
  reduce<int8_t>(ReduceOp::kSum, plan, x, y);
  EXPECT_EQ(y[0], static_cast<int8_t>(300 - 256));
  EXPECT_EQ(y[1], -6);
  reduce<int8_t>(ReduceOp::kMean, plan, x, y);
  EXPECT_EQ(y[0], 100);
  EXPECT_EQ(y[1], -2);  // -6 / 3
  reduce<int8_t>(ReduceOp::kL1, plan, x, y);
  EXPECT_EQ(y[1], 10);
  reduce<int8_t>(ReduceOp::kMin, plan, x, y);
  EXPECT_EQ(y[0], 100);
  EXPECT_EQ(y[1], -7);
  const uint64_t xu[] = {3, 5, 7, 1, 2, 4};
  uint64_t yu[2];
  reduce<uint64_t>(ReduceOp::kProd, plan, xu, yu);
  EXPECT_EQ(yu[0], 105u);
  EXPECT_EQ(yu[1], 8u);
}

TEST(Reduce, HalfAndBoolTypes) {
  const Dims shape{2, 2};
  const ReducePlan plan = plan_reduce(shape, Dims{0}, true, false);
  const Float16 xh[] = {
      {float_to_half(1.5f)}, {float_to_half(-2.0f)}, {float_to_half(0.25f)}, {float_to_half(3.0f)}};
  Float16 yh[2];
  reduce<Float16>(ReduceOp::kSum, plan, xh, yh);
  EXPECT_EQ(half_to_float(yh[0].bits), 1.75f);
  EXPECT_EQ(half_to_float(yh[1].bits), 1.0f);
  const BFloat16 xb[] = {{float_to_bfloat16(2.0f)},
                         {float_to_bfloat16(4.0f)},
                         {float_to_bfloat16(8.0f)},
                         {float_to_bfloat16(0.5f)}};
  BFloat16 yb[2];
  reduce<BFloat16>(ReduceOp::kProd, plan, xb, yb);
  EXPECT_EQ(bfloat16_to_float(yb[0].bits), 16.0f);
  EXPECT_EQ(bfloat16_to_float(yb[1].bits), 2.0f);
  const bool xbool[] = {true, false, true, true};
  bool ybool[2];
  reduce<bool>(ReduceOp::kMax, plan, xbool, ybool);
  EXPECT_TRUE(ybool[0] && ybool[1]);
  reduce<bool>(ReduceOp::kMin, plan, xbool, ybool);
  EXPECT_TRUE(ybool[0] && !ybool[1]);
  expect_error([&] { reduce<bool>(ReduceOp::kSum, plan, xbool, ybool); }, INFER_INVALID_ARGUMENT,
               "bool");
}

TEST(Reduce, NanPropagatesThroughMax) {
  const Dims shape{3};
  const ReducePlan plan = plan_reduce(shape, Dims{}, false, false);
  const float x[] = {1.0f, NAN, 5.0f};
  float y = 0;
  reduce<float>(ReduceOp::kMax, plan, x, &y);
  EXPECT_TRUE(std::isnan(y));
}

TEST(Reduce, RejectsBadAxes) {
  const Dims shape{2, 3};
  expect_error([&] { plan_reduce(shape, Dims{2}, true, false); }, INFER_INVALID_ARGUMENT,
               "out of range");
  expect_error([&] { plan_reduce(shape, Dims{-3}, true, false); }, INFER_INVALID_ARGUMENT,
               "out of range");
  expect_error(
      [&] {
        plan_reduce(shape, Dims{1, -1}, true, false);
      },
      INFER_INVALID_ARGUMENT, "listed twice");
}

// Naive ArgMax/ArgMin over `axis` of a [a, b, c] tensor.
std::vector<int64_t> ref_arg(const std::vector<float>& x, const Dims& s, size_t axis, bool is_max,
                             bool last) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < s[0]; ++i) {
    for (int64_t j = 0; j < s[1]; ++j) {
      for (int64_t k = 0; k < s[2]; ++k) {
        Dims idx{i, j, k};
        if (idx[axis] != 0) continue;
        int64_t best = 0;
        float best_v = 0;
        for (int64_t t = 0; t < s[axis]; ++t) {
          idx[axis] = t;
          const float v = x[static_cast<size_t>((idx[0] * s[1] + idx[1]) * s[2] + idx[2])];
          const bool take = t == 0 || (is_max ? v > best_v : v < best_v) || (last && v == best_v);
          if (take) {
            best = t;
            best_v = v;
          }
        }
        out.push_back(best);
      }
    }
  }
  return out;
}

TEST(ArgReduce, MatchesReferenceWithTies) {
  std::mt19937 rng(22);
  const Dims shape{3, 4, 5};
  TTensor x = random_tensor(shape, rng);
  for (float& v : x.data) v = std::round(v * 2);  // few distinct values: many ties
  for (int64_t axis : {0, 1, 2, -1}) {
    for (bool is_max : {true, false}) {
      for (bool last : {false, true}) {
        SCOPED_TRACE(::testing::Message()
                     << "axis " << axis << " max " << is_max << " last " << last);
        const ArgPlan plan = plan_arg_reduce(shape, axis, true);
        const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
        Dims expected_shape = shape;
        expected_shape[a] = 1;
        EXPECT_EQ(plan.y_shape, expected_shape);
        EXPECT_EQ(plan_arg_reduce(shape, axis, false).y_shape.size(), 2u);
        std::vector<int64_t> y(static_cast<size_t>(count(plan.y_shape)));
        arg_reduce<float>(is_max, last, plan, x.data.data(), y.data());
        EXPECT_EQ(y, ref_arg(x.data, shape, a, is_max, last));
      }
    }
  }
}

TEST(ArgReduce, IntegerTypesAndErrors) {
  const Dims shape{2, 3};
  const uint8_t x[] = {5, 9, 9, 200, 1, 7};
  int64_t y[2];
  arg_reduce<uint8_t>(true, false, plan_arg_reduce(shape, 1, false), x, y);
  EXPECT_EQ(y[0], 1);
  EXPECT_EQ(y[1], 0);
  arg_reduce<uint8_t>(true, true, plan_arg_reduce(shape, 1, false), x, y);
  EXPECT_EQ(y[0], 2);
  expect_error([&] { plan_arg_reduce(shape, 2, true); }, INFER_INVALID_ARGUMENT, "out of range");
  const Dims empty{2, 0};
  expect_error([&] { plan_arg_reduce(empty, 1, true); }, INFER_INVALID_ARGUMENT, "empty axis");
}

}  // namespace
}  // namespace infer::cpu::test
