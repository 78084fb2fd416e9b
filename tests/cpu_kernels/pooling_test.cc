// MaxPool Indices and dtypes, LpPool, the global pools and MaxUnpool.
#include <limits>

#include "kernels/pool.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

struct Window2d {
  int64_t kh, kw, sh = 1, sw = 1, dh = 1, dw = 1, pt = 0, pl = 0, pb = 0, pr = 0;
};

WindowParams params_of(const Window2d& w) {
  WindowParams p;
  p.kernel_shape = {w.kh, w.kw};
  p.strides = {w.sh, w.sw};
  p.dilations = {w.dh, w.dw};
  p.pads = {w.pt, w.pl, w.pb, w.pr};
  return p;
}

// Naive 2-D pooling of [N, C, H, W]: fn(values under the window with their (h, w)) per output.
template <typename Fn>
void ref_pool2d(const Dims& x, const Window2d& w, Fn&& fn) {
  const int64_t oh = (x[2] + w.pt + w.pb - ((w.kh - 1) * w.dh + 1)) / w.sh + 1;
  const int64_t ow = (x[3] + w.pl + w.pr - ((w.kw - 1) * w.dw + 1)) / w.sw + 1;
  for (int64_t p = 0; p < x[0] * x[1]; ++p) {
    for (int64_t i = 0; i < oh; ++i) {
      for (int64_t j = 0; j < ow; ++j) {
        std::vector<std::pair<int64_t, int64_t>> taps;
        for (int64_t a = 0; a < w.kh; ++a) {
          for (int64_t b = 0; b < w.kw; ++b) {
            const int64_t h = i * w.sh - w.pt + a * w.dh, c = j * w.sw - w.pl + b * w.dw;
            if (h >= 0 && h < x[2] && c >= 0 && c < x[3]) taps.push_back({h, c});
          }
        }
        fn(p, taps);
      }
    }
  }
}

const Window2d kWindows[] = {
    {.kh = 2, .kw = 2, .sh = 2, .sw = 2},
    {.kh = 3, .kw = 3, .pt = 1, .pl = 1, .pb = 1, .pr = 1},
    {.kh = 3, .kw = 2, .sh = 2, .sw = 1, .dh = 2, .dw = 1, .pt = 1, .pl = 0, .pb = 2, .pr = 1},
};

TEST(MaxPool, IndicesInBothStorageOrders) {
  std::mt19937 rng(51);
  const Dims shape{2, 3, 7, 6};
  const TTensor x = random_tensor(shape, rng);
  for (const Window2d& w : kWindows) {
    const PoolPlan plan = plan_pool(params_of(w), shape);
    for (bool column_major : {false, true}) {
      std::vector<float> expected_y;
      std::vector<int64_t> expected_i;
      ref_pool2d(shape, w, [&](int64_t p, const std::vector<std::pair<int64_t, int64_t>>& taps) {
        float best = -INFINITY;
        int64_t at = -1;
        for (auto [h, c] : taps) {
          const float v = x.data[static_cast<size_t>((p * 7 + h) * 6 + c)];
          if (at < 0 || v > best) {
            best = v;
            at = p * 42 + (column_major ? h + c * 7 : h * 6 + c);
          }
        }
        expected_y.push_back(best);
        expected_i.push_back(at);
      });
      ASSERT_EQ(static_cast<int64_t>(expected_y.size()), count(plan.y_shape));
      std::vector<float> y(expected_y.size());
      std::vector<int64_t> idx(expected_y.size());
      max_pool<float>(plan, x.data.data(), y.data(), idx.data(), column_major);
      EXPECT_EQ(y, expected_y);
      EXPECT_EQ(idx, expected_i);
    }
  }
}

TEST(MaxPool, SmallIntegerAndHalfTypes) {
  const Dims shape{1, 1, 2, 3};
  WindowParams p;
  p.kernel_shape = {2, 2};
  const PoolPlan plan = plan_pool(p, shape);
  const int8_t xi[] = {-5, 7, -128, 3, -2, 100};
  int8_t yi[2];
  max_pool<int8_t>(plan, xi, yi);
  EXPECT_EQ(yi[0], 7);
  EXPECT_EQ(yi[1], 100);
  const uint8_t xu[] = {0, 255, 3, 4, 1, 2};
  uint8_t yu[2];
  int64_t iu[2];
  max_pool<uint8_t>(plan, xu, yu, iu);
  EXPECT_EQ(yu[0], 255);
  EXPECT_EQ(iu[1], 1);
  Float16 xh[6], yh[2];
  for (int i = 0; i < 6; ++i) xh[i] = {float_to_half(static_cast<float>(xi[i]) / 4)};
  max_pool<Float16>(plan, xh, yh);
  EXPECT_EQ(half_to_float(yh[1].bits), 25.0f);
  average_pool<Float16>(plan, false, xh, yh);
  EXPECT_EQ(half_to_float(yh[0].bits), (-5 + 7 + 3 - 2) / 16.0f);
  double xd[6], yd[2];
  for (int i = 0; i < 6; ++i) xd[i] = xi[i];
  average_pool<double>(plan, false, xd, yd);
  EXPECT_DOUBLE_EQ(yd[1], (7 - 128 - 2 + 100) / 4.0);
}

TEST(LpPool, MatchesReference) {
  std::mt19937 rng(52);
  const Dims shape{1, 2, 6, 5};
  const TTensor x = random_tensor(shape, rng);
  for (const Window2d& w : kWindows) {
    for (float p : {1.0f, 2.0f, 3.0f}) {
      std::vector<float> expected;
      ref_pool2d(shape, w, [&](int64_t pl, const std::vector<std::pair<int64_t, int64_t>>& taps) {
        double sum = 0;
        for (auto [h, c] : taps) {
          sum += std::pow(std::fabs(x.data[static_cast<size_t>((pl * 6 + h) * 5 + c)]), p);
        }
        expected.push_back(static_cast<float>(std::pow(sum, 1.0 / p)));
      });
      const PoolPlan plan = plan_pool(params_of(w), shape);
      std::vector<float> y(expected.size());
      lp_pool<float>(plan, p, x.data.data(), y.data());
      expect_close(y, expected, 1e-5f);
    }
  }
}

TEST(GlobalPool, MaxAverageAndLp) {
  std::mt19937 rng(53);
  // Planes shorter than, and not a multiple of, the reduction's 8 lanes.
  for (const Dims& shape : {Dims{2, 3, 4, 5}, Dims{3, 5, 13, 17}, Dims{1, 2, 3}}) {
    const TTensor x = random_tensor(shape, rng);
    const Shape y_shape = global_pool_shape(shape);
    Shape expected_shape(shape.begin(), shape.end());
    std::fill(expected_shape.begin() + 2, expected_shape.end(), 1);
    EXPECT_EQ(y_shape, expected_shape);
    const size_t planes = static_cast<size_t>(shape[0] * shape[1]);
    const size_t size = x.data.size() / planes;
    std::vector<float> ymax(planes), yavg(planes), ylp(planes);
    global_pool<float>(GlobalPool::kMax, 0, x.data.data(), shape, ymax.data());
    global_average_pool<float>(x.data.data(), shape, yavg.data());
    global_pool<float>(GlobalPool::kLp, 3, x.data.data(), shape, ylp.data());
    for (size_t p = 0; p < planes; ++p) {
      float mx = -INFINITY;
      double sum = 0, lp = 0;
      for (size_t i = 0; i < size; ++i) {
        const float v = x.data[p * size + i];
        mx = std::max(mx, v);
        sum += v;
        lp += std::pow(std::fabs(v), 3.0);
      }
      EXPECT_EQ(ymax[p], mx);
      EXPECT_NEAR(yavg[p], sum / static_cast<double>(size), 1e-6);
      EXPECT_NEAR(ylp[p], std::cbrt(lp), 1e-5 * std::max(1.0, std::cbrt(lp)));
    }
  }
  const Dims rank1{4};
  expect_error([&] { global_pool_shape(rank1); }, INFER_INVALID_ARGUMENT, "rank >= 2");
}

TEST(MaxUnpool, InvertsMaxPoolAndPadsToOutputShape) {
  std::mt19937 rng(54);
  const Dims shape{1, 2, 4, 4};
  const TTensor x = random_tensor(shape, rng);
  WindowParams p;
  p.kernel_shape = {2, 2};
  p.strides = {2, 2};
  const PoolPlan pool = plan_pool(p, shape);
  std::vector<float> pooled(8);
  std::vector<int64_t> idx(8);
  max_pool<float>(pool, x.data.data(), pooled.data(), idx.data());

  const UnpoolPlan plan = plan_max_unpool(p, pool.y_shape, pool.y_shape, std::nullopt);
  EXPECT_EQ(plan.y_shape, shape);
  std::vector<float> y(16 * 2, NAN);
  max_unpool<float>(plan, pooled.data(), idx.data(), y.data());
  for (size_t i = 0; i < 32; ++i) {
    const bool kept = std::find(idx.begin(), idx.end(), static_cast<int64_t>(i)) != idx.end();
    EXPECT_EQ(y[i], kept ? x.data[i] : 0.0f) << i;
  }

  // A larger output keeps each value at its (h, w) of the default 4x4 layout.
  const int64_t out_shape[] = {1, 2, 5, 6};
  const UnpoolPlan big = plan_max_unpool(p, pool.y_shape, pool.y_shape, out_shape);
  std::vector<float> yb(60, NAN);
  max_unpool<float>(big, pooled.data(), idx.data(), yb.data());
  for (int64_t c = 0; c < 2; ++c) {
    for (int64_t h = 0; h < 5; ++h) {
      for (int64_t w = 0; w < 6; ++w) {
        const float expected = h < 4 && w < 4 ? y[static_cast<size_t>((c * 4 + h) * 4 + w)] : 0.0f;
        EXPECT_EQ(yb[static_cast<size_t>((c * 5 + h) * 6 + w)], expected);
      }
    }
  }
}

TEST(MaxUnpool, RejectsBadIndicesAndShapes) {
  WindowParams p;
  p.kernel_shape = {2};
  p.strides = {2};
  const Dims x{1, 1, 2};
  const UnpoolPlan plan = plan_max_unpool(p, x, x, std::nullopt);
  EXPECT_EQ(plan.y_shape, (Shape{1, 1, 4}));
  const float v[] = {1, 2};
  float y[4];
  const int64_t bad[] = {0, 4};
  expect_error([&] { max_unpool<float>(plan, v, bad, y); }, INFER_INVALID_ARGUMENT, "out of range");
  const int64_t negative[] = {-1, 2};
  expect_error([&] { max_unpool<float>(plan, v, negative, y); }, INFER_INVALID_ARGUMENT,
               "out of range");
  const Dims wrong_indices{1, 1, 3};
  expect_error([&] { plan_max_unpool(p, x, wrong_indices, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "must have the shape of X");
  const int64_t small[] = {1, 1, 3};
  expect_error([&] { plan_max_unpool(p, x, x, small); }, INFER_INVALID_ARGUMENT, "smaller");
  const int64_t wrong_rank[] = {1, 4};
  expect_error([&] { plan_max_unpool(p, x, x, wrong_rank); }, INFER_INVALID_ARGUMENT,
               "output_shape");
}

}  // namespace
}  // namespace infer::cpu::test
