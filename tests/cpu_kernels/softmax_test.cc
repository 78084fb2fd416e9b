#include "kernels/softmax.h"

#include "test_util.h"

namespace infer::cpu::test {
namespace {

// Naive reference on [outer, len, inner] in double: the definition, no max subtraction.
std::vector<double> ref_softmax(SoftmaxKind kind, const std::vector<double>& x, int64_t outer,
                                int64_t len, int64_t inner) {
  std::vector<double> y(x.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t j) { return static_cast<size_t>((o * len + j) * inner + i); };
      double sum = 0;
      int64_t first_max = 0;
      for (int64_t j = 0; j < len; ++j) {
        sum += std::exp(x[at(j)]);
        if (x[at(j)] > x[at(first_max)]) first_max = j;
      }
      for (int64_t j = 0; j < len; ++j) {
        switch (kind) {
          case SoftmaxKind::kSoftmax:
            y[at(j)] = std::exp(x[at(j)]) / sum;
            break;
          case SoftmaxKind::kLogSoftmax:
            y[at(j)] = x[at(j)] - std::log(sum);
            break;
          case SoftmaxKind::kHardmax:
            y[at(j)] = j == first_max ? 1 : 0;
            break;
        }
      }
    }
  }
  return y;
}

struct Case {
  Dims shape;
  int64_t axis;
  bool coerce_2d;
  int64_t outer, len, inner;  // expected split
};

const Case kCases[] = {
    {{2, 3, 4}, -1, false, 6, 4, 1}, {{2, 3, 4}, 1, false, 2, 3, 4},
    {{2, 3, 4}, 0, false, 1, 2, 12}, {{2, 3, 4}, 1, true, 2, 12, 1},
    {{2, 3, 4}, 0, true, 1, 24, 1},  {{5}, 0, false, 1, 5, 1},
    {{3, 1, 2}, -2, false, 3, 1, 2},
};

const SoftmaxKind kKinds[] = {SoftmaxKind::kSoftmax, SoftmaxKind::kLogSoftmax,
                              SoftmaxKind::kHardmax};

TEST(SoftmaxFamily, FloatAndDoubleMatchReference) {
  std::mt19937 rng(31);
  for (const Case& c : kCases) {
    const SoftmaxDims d = softmax_dims(c.shape, c.axis, c.coerce_2d);
    EXPECT_EQ(d.outer, c.outer);
    EXPECT_EQ(d.axis_len, c.len);
    EXPECT_EQ(d.inner, c.inner);
    const TTensor x = random_tensor(c.shape, rng, -3.0f, 3.0f);
    const std::vector<double> xd(x.data.begin(), x.data.end());
    for (SoftmaxKind kind : kKinds) {
      SCOPED_TRACE(::testing::Message() << dims_str(c.shape) << " axis " << c.axis << " kind "
                                        << static_cast<int>(kind));
      const std::vector<double> expected = ref_softmax(kind, xd, c.outer, c.len, c.inner);
      std::vector<float> y(x.data.size());
      softmax_kind<float>(kind, x.data.data(), y.data(), d);
      expect_close(y, std::vector<float>(expected.begin(), expected.end()), 1e-5f);
      std::vector<double> yd(x.data.size());
      softmax_kind<double>(kind, xd.data(), yd.data(), d);
      for (size_t i = 0; i < yd.size(); ++i) EXPECT_NEAR(yd[i], expected[i], 1e-12);
    }
  }
}

TEST(SoftmaxFamily, HalfTypesComputeInFloat) {
  const Dims shape{2, 3};
  const SoftmaxDims d = softmax_dims(shape, -1, false);
  const float xs[] = {0.5f, -1.0f, 2.0f, 1.0f, 1.0f, 1.0f};
  Float16 xh[6], yh[6];
  BFloat16 xb[6], yb[6];
  for (int i = 0; i < 6; ++i) {
    xh[i] = {float_to_half(xs[i])};
    xb[i] = {float_to_bfloat16(xs[i])};
  }
  const std::vector<double> xd(xs, xs + 6);
  for (SoftmaxKind kind : kKinds) {
    const std::vector<double> expected = ref_softmax(kind, xd, 2, 3, 1);
    softmax_kind<Float16>(kind, xh, yh, d);
    softmax_kind<BFloat16>(kind, xb, yb, d);
    for (size_t i = 0; i < 6; ++i) {
      EXPECT_NEAR(half_to_float(yh[i].bits), expected[i], 2e-3 * (1 + std::fabs(expected[i])));
      EXPECT_NEAR(bfloat16_to_float(yb[i].bits), expected[i], 1e-2 * (1 + std::fabs(expected[i])));
    }
  }
}

TEST(SoftmaxFamily, LargeValuesStayFinite) {
  const Dims shape{3};
  const float x[] = {1000.0f, 1001.0f, 1002.0f};
  float y[3];
  softmax_kind<float>(SoftmaxKind::kLogSoftmax, x, y, softmax_dims(shape, 0, false));
  EXPECT_NEAR(y[2], -0.40760596f, 1e-5f);
  softmax_kind<float>(SoftmaxKind::kSoftmax, x, y, softmax_dims(shape, 0, false));
  EXPECT_NEAR(y[2], 0.66524096f, 1e-6f);
}

TEST(SoftmaxFamily, RejectsBadAxis) {
  const Dims shape{2, 3}, scalar{};
  expect_error([&] { softmax_dims(shape, 2, false); }, INFER_INVALID_ARGUMENT, "out of range");
  expect_error([&] { softmax_dims(shape, -3, true); }, INFER_INVALID_ARGUMENT, "out of range");
  expect_error([&] { softmax_dims(scalar, 0, false); }, INFER_INVALID_ARGUMENT, "rank >= 1");
}

}  // namespace
}  // namespace infer::cpu::test
