#include "kernels/normalization.h"

#include "test_util.h"

namespace infer::cpu::test {
namespace {

using Vec = std::vector<double>;

Vec to_double(const std::vector<float>& v) { return Vec(v.begin(), v.end()); }

void expect_near_all(const std::vector<float>& got, const Vec& expected, double tol = 1e-4) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], expected[i], tol * (1 + std::fabs(expected[i]))) << "element " << i;
  }
}

// Naive LayerNormalization / RMSNormalization on [rows, cols], scale and bias per column.
Vec ref_row_norm(const Vec& x, int64_t rows, int64_t cols, const Vec& scale, const Vec* bias,
                 bool rms, double eps, Vec* means, Vec* inv_stds) {
  Vec y(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    const auto n = static_cast<double>(cols);
    for (int64_t c = 0; c < cols; ++c) mean += x[static_cast<size_t>(r * cols + c)] / n;
    if (rms) mean = 0;
    for (int64_t c = 0; c < cols; ++c) {
      const double d = x[static_cast<size_t>(r * cols + c)] - mean;
      var += d * d / n;
    }
    const double inv = 1 / std::sqrt(var + eps);
    if (means) means->push_back(mean);
    if (inv_stds) inv_stds->push_back(inv);
    for (int64_t c = 0; c < cols; ++c) {
      const auto i = static_cast<size_t>(r * cols + c);
      y[i] = (x[i] - mean) * inv * scale[static_cast<size_t>(c)] +
             (bias ? (*bias)[static_cast<size_t>(c)] : 0);
    }
  }
  return y;
}

TEST(RowNorm, LayerNormAndRmsMatchReference) {
  std::mt19937 rng(41);
  const Dims shape{2, 3, 4};
  const TTensor x = random_tensor(shape, rng);
  for (int64_t axis : {0, 1, 2, -1, -2}) {
    const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    const Dims inner(shape.begin() + static_cast<std::ptrdiff_t>(a), shape.end());
    const int64_t cols = count(inner), rows = count(shape) / cols;
    const TTensor scale = random_tensor(inner, rng), bias = random_tensor(inner, rng);
    for (bool rms : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "axis " << axis << " rms " << rms);
      const ShapeSpan bias_shape(bias.shape);
      const RowNormPlan plan = plan_row_norm(shape, axis, scale.shape, rms ? nullptr : &bias_shape);
      EXPECT_EQ(plan.rows, rows);
      Dims stat_shape(shape.begin(), shape.begin() + static_cast<std::ptrdiff_t>(a));
      stat_shape.resize(3, 1);
      EXPECT_EQ(plan.stat_shape, stat_shape);
      Vec means, inv_stds;
      const Vec bd = to_double(bias.data);
      const Vec expected = ref_row_norm(to_double(x.data), rows, cols, to_double(scale.data),
                                        rms ? nullptr : &bd, rms, 1e-3, &means, &inv_stds);
      std::vector<float> y(x.data.size()), mean(static_cast<size_t>(rows)), inv(mean.size());
      row_norm<float>(plan, rms, 1e-3f, x.data.data(), scale.data.data(),
                      rms ? nullptr : bias.data.data(), y.data(), mean.data(), inv.data());
      expect_near_all(y, expected);
      if (!rms) {
        expect_near_all(mean, means);
        expect_near_all(inv, inv_stds);
      }
    }
  }
}

TEST(RowNorm, ScaleBroadcastsAcrossRowsOrNot) {
  std::mt19937 rng(42);
  const Dims shape{3, 4};
  const TTensor x = random_tensor(shape, rng);
  // Scale [1] broadcasts everywhere; scale [3, 1] varies by row only (a full expansion).
  const float scalar = 2.5f;
  const Dims one{1};
  RowNormPlan plan = plan_row_norm(shape, -1, one, nullptr);
  std::vector<float> y(12);
  row_norm<float>(plan, false, 1e-5f, x.data.data(), &scalar, nullptr, y.data(), nullptr, nullptr);
  const Vec base =
      ref_row_norm(to_double(x.data), 3, 4, Vec(4, 1.0), nullptr, false, 1e-5, nullptr, nullptr);
  Vec expected(base);
  for (double& v : expected) v *= 2.5;
  expect_near_all(y, expected);

  const Dims col{3, 1};
  const float per_row[] = {1.0f, -1.0f, 3.0f};
  plan = plan_row_norm(shape, -1, col, nullptr);
  row_norm<float>(plan, false, 1e-5f, x.data.data(), per_row, nullptr, y.data(), nullptr, nullptr);
  for (size_t i = 0; i < 12; ++i) expected[i] = base[i] * per_row[i / 4];
  expect_near_all(y, expected);
}

TEST(RowNorm, HalfAndDouble) {
  const Dims shape{2, 2};
  const Dims s{2};
  const RowNormPlan plan = plan_row_norm(shape, 1, s, nullptr);
  const double xd[] = {1, 3, -2, 2}, sd[] = {1, 2};
  double yd[4];
  row_norm<double>(plan, false, 0.0f, xd, sd, nullptr, yd, nullptr, nullptr);
  EXPECT_DOUBLE_EQ(yd[0], -1);
  EXPECT_DOUBLE_EQ(yd[1], 2);
  Float16 xh[4], sh[2], yh[4];
  for (int i = 0; i < 4; ++i) xh[i] = {float_to_half(static_cast<float>(xd[i]))};
  for (int i = 0; i < 2; ++i) sh[i] = {float_to_half(static_cast<float>(sd[i]))};
  row_norm<Float16>(plan, false, 0.0f, xh, sh, nullptr, yh, nullptr, nullptr);
  EXPECT_EQ(half_to_float(yh[2].bits), -1.0f);
  EXPECT_EQ(half_to_float(yh[3].bits), 2.0f);
}

TEST(RowNorm, RejectsBadShapes) {
  const Dims x{2, 3}, bad_scale{2}, scalar{};
  expect_error([&] { plan_row_norm(x, 2, bad_scale, nullptr); }, INFER_INVALID_ARGUMENT,
               "out of range");
  expect_error([&] { plan_row_norm(x, -1, bad_scale, nullptr); }, INFER_INVALID_ARGUMENT,
               "broadcast");
  expect_error([&] { plan_row_norm(scalar, 0, scalar, nullptr); }, INFER_INVALID_ARGUMENT, "rank");
}

// Naive GroupNormalization on [N, C, S]; params per channel or per group.
Vec ref_group_norm(const Vec& x, int64_t n, int64_t c, int64_t s, int64_t groups, const Vec& scale,
                   const Vec& bias, bool per_group, double eps) {
  Vec y(x.size());
  const int64_t cpg = c / groups;
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t g = 0; g < groups; ++g) {
      Vec vals;
      for (int64_t ch = g * cpg; ch < (g + 1) * cpg; ++ch) {
        for (int64_t k = 0; k < s; ++k)
          vals.push_back(x[static_cast<size_t>((b * c + ch) * s + k)]);
      }
      double mean = 0, var = 0;
      for (double v : vals) mean += v / static_cast<double>(vals.size());
      for (double v : vals) var += (v - mean) * (v - mean) / static_cast<double>(vals.size());
      for (int64_t ch = g * cpg; ch < (g + 1) * cpg; ++ch) {
        const auto p = static_cast<size_t>(per_group ? g : ch);
        for (int64_t k = 0; k < s; ++k) {
          const auto i = static_cast<size_t>((b * c + ch) * s + k);
          y[i] = (x[i] - mean) / std::sqrt(var + eps) * scale[p] + bias[p];
        }
      }
    }
  }
  return y;
}

TEST(GroupNorm, MatchesReferenceForBothParamLayouts) {
  std::mt19937 rng(43);
  const Dims shape{2, 6, 3, 2};
  const TTensor x = random_tensor(shape, rng, -2.0f, 3.0f);
  for (int64_t groups : {1, 2, 3, 6}) {
    for (bool per_group : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "groups " << groups << " per_group " << per_group);
      const Dims ps{per_group ? groups : 6};
      const TTensor scale = random_tensor(ps, rng), bias = random_tensor(ps, rng);
      const GroupNormPlan plan = plan_group_norm(shape, groups, per_group, ps, ps);
      std::vector<float> y(x.data.size());
      group_norm<float>(plan, 1e-4f, x.data.data(), scale.data.data(), bias.data.data(), y.data());
      expect_near_all(y, ref_group_norm(to_double(x.data), 2, 6, 6, groups, to_double(scale.data),
                                        to_double(bias.data), per_group, 1e-4));
    }
  }
}

TEST(GroupNorm, RejectsBadShapes) {
  const Dims x{1, 6, 2}, p6{6}, p4{4}, rank1{6};
  expect_error([&] { plan_group_norm(x, 4, false, p6, p6); }, INFER_INVALID_ARGUMENT,
               "does not divide");
  expect_error([&] { plan_group_norm(x, 2, false, p4, p6); }, INFER_INVALID_ARGUMENT,
               "must have shape [6]");
  expect_error([&] { plan_group_norm(x, 2, true, p6, p6); }, INFER_INVALID_ARGUMENT,
               "must have shape [2]");
  expect_error([&] { plan_group_norm(rank1, 1, false, p6, p6); }, INFER_INVALID_ARGUMENT,
               "[N, C, ...]");
}

TEST(Lrn, MatchesReference) {
  std::mt19937 rng(44);
  const Dims shape{2, 5, 3, 2};
  const TTensor x = random_tensor(shape, rng, -2.0f, 2.0f);
  for (int64_t size : {1, 2, 3, 4}) {
    LrnParams p;
    p.size = size;
    p.alpha = 0.3f;
    p.beta = 0.6f;
    p.bias = 1.5f;
    Vec expected(x.data.size());
    for (int64_t n = 0; n < 2; ++n) {
      for (int64_t c = 0; c < 5; ++c) {
        for (int64_t s = 0; s < 6; ++s) {
          double sum = 0;
          for (int64_t k = c - (size - 1) / 2; k <= c + size / 2; ++k) {
            if (k < 0 || k >= 5) continue;
            const double v = x.data[static_cast<size_t>((n * 5 + k) * 6 + s)];
            sum += v * v;
          }
          const auto i = static_cast<size_t>((n * 5 + c) * 6 + s);
          expected[i] = x.data[i] / std::pow(1.5 + 0.3 / static_cast<double>(size) * sum, 0.6);
        }
      }
    }
    std::vector<float> y(x.data.size());
    lrn<float>(p, shape, x.data.data(), y.data());
    expect_near_all(y, expected);
  }
  const Dims rank1{3};
  expect_error([&] { check_lrn_shape(rank1); }, INFER_INVALID_ARGUMENT, "[N, C, ...]");
}

TEST(LpNorm, L1AndL2WithZeroNorm) {
  // [outer 2, len 3, inner 2]; the second column of the first block is all zeros.
  const float x[] = {1, 0, -2, 0, 2, 0, 3, 4, 0, -1, 4, 1};
  for (int64_t p : {1, 2}) {
    std::vector<float> y(12);
    lp_normalize<float>(p, 2, 3, 2, x, y.data());
    for (int64_t o = 0; o < 2; ++o) {
      for (int64_t i = 0; i < 2; ++i) {
        double norm = 0;
        for (int64_t j = 0; j < 3; ++j) {
          const double v = x[(o * 3 + j) * 2 + i];
          norm += p == 1 ? std::fabs(v) : v * v;
        }
        if (p == 2) norm = std::sqrt(norm);
        for (int64_t j = 0; j < 3; ++j) {
          const auto k = static_cast<size_t>((o * 3 + j) * 2 + i);
          EXPECT_NEAR(y[k], norm == 0 ? 0.0 : x[k] / norm, 1e-6);
        }
      }
    }
  }
}

TEST(Mvn, MatchesReferenceOverChannelAxes) {
  std::mt19937 rng(45);
  const Dims shape{2, 3, 2, 2};
  const TTensor x = random_tensor(shape, rng, -1.0f, 4.0f);
  const Dims axes{0, 2, 3};
  std::vector<float> y(x.data.size());
  mean_variance_normalize<float>(shape, axes, x.data.data(), y.data());
  Vec expected(x.data.size());
  for (int64_t c = 0; c < 3; ++c) {
    std::vector<size_t> idx;
    for (int64_t n = 0; n < 2; ++n) {
      for (int64_t s = 0; s < 4; ++s) idx.push_back(static_cast<size_t>((n * 3 + c) * 4 + s));
    }
    double mean = 0, var = 0;
    for (size_t i : idx) mean += x.data[i] / 8.0;
    for (size_t i : idx) var += (x.data[i] - mean) * (x.data[i] - mean) / 8.0;
    for (size_t i : idx) expected[i] = (x.data[i] - mean) / (std::sqrt(var) + 1e-9);
  }
  expect_near_all(y, expected);
  const Dims bad{0, 4};
  expect_error([&] { mean_variance_normalize<float>(shape, bad, x.data.data(), y.data()); },
               INFER_INVALID_ARGUMENT, "out of range");
}

}  // namespace
}  // namespace infer::cpu::test
