#include "kernels/det.h"

#include "test_util.h"

namespace infer::cpu::test {
namespace {

// Naive Laplace expansion along the first row.
double ref_det(const std::vector<double>& a, int64_t m) {
  if (m == 0) return 1;
  if (m == 1) return a[0];
  double d = 0;
  for (int64_t c = 0; c < m; ++c) {
    std::vector<double> minor;
    for (int64_t r = 1; r < m; ++r) {
      for (int64_t k = 0; k < m; ++k) {
        if (k != c) minor.push_back(a[static_cast<size_t>(r * m + k)]);
      }
    }
    d += (c % 2 ? -1 : 1) * a[static_cast<size_t>(c)] * ref_det(minor, m - 1);
  }
  return d;
}

TEST(Det, MatchesLaplaceExpansion) {
  std::mt19937 rng(92);
  for (int64_t m : {1, 2, 3, 4, 5}) {
    const Dims shape{2, 3, m, m};
    const TTensor x = random_tensor(shape, rng, -2.0f, 2.0f);
    EXPECT_EQ(det_shape(shape), (Shape{2, 3}));
    std::vector<float> y(6);
    det<float>(x.data.data(), shape, y.data());
    for (size_t b = 0; b < 6; ++b) {
      const std::vector<double> a(x.data.begin() + static_cast<std::ptrdiff_t>(b * m * m),
                                  x.data.begin() + static_cast<std::ptrdiff_t>((b + 1) * m * m));
      const double expected = ref_det(a, m);
      EXPECT_NEAR(y[b], expected, 1e-4 * (1 + std::fabs(expected))) << "m " << m << " batch " << b;
    }
  }
}

TEST(Det, SingularPivotingAndTypes) {
  const Dims shape{3, 3};
  const double singular[] = {1, 2, 3, 2, 4, 6, 0, 1, 1};
  double y = 1;
  det<double>(singular, shape, &y);
  EXPECT_EQ(y, 0);
  const double needs_pivot[] = {0, 1, 0, 1, 0, 0, 0, 0, 2};
  det<double>(needs_pivot, shape, &y);
  EXPECT_EQ(y, -2);
  const Dims s2{2, 2};
  const Float16 h[] = {
      {float_to_half(3)}, {float_to_half(1)}, {float_to_half(2)}, {float_to_half(4)}};
  Float16 yh;
  det<Float16>(h, s2, &yh);
  EXPECT_EQ(half_to_float(yh.bits), 10.0f);
  const Dims not_square{2, 3}, vector{3};
  expect_error([&] { det_shape(not_square); }, INFER_INVALID_ARGUMENT, "[*, M, M]");
  expect_error([&] { det_shape(vector); }, INFER_INVALID_ARGUMENT, "[*, M, M]");
}

}  // namespace
}  // namespace infer::cpu::test
