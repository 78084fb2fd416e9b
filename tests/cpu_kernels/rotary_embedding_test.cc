#include "kernels/rotary_embedding.h"

#include <cmath>

#include "test_util.h"

namespace infer::cpu::test {
namespace {

using V = std::vector<double>;

V random_values(int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<double> d(-1, 1);
  V v(static_cast<size_t>(n));
  for (double& x : v) x = d(rng);
  return v;
}

// Naive RoPE on [B, S, H, D] layout: pairs (k, k + R/2) or (2k, 2k + 1), angle from the caches.
V reference(const V& x, int64_t B, int64_t S, int64_t H, int64_t D, int64_t R, bool interleaved,
            const V& cos, const V& sin, const std::vector<int64_t>& ids) {
  V y = x;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t s = 0; s < S; ++s)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t k = 0; k < R / 2; ++k) {
          const int64_t row = ids.empty() ? b * S + s : ids[static_cast<size_t>(b * S + s)];
          const double c = cos[static_cast<size_t>(row * R / 2 + k)];
          const double sn = sin[static_cast<size_t>(row * R / 2 + k)];
          const int64_t base = ((b * S + s) * H + h) * D;
          const int64_t i1 = base + (interleaved ? 2 * k : k);
          const int64_t i2 = base + (interleaved ? 2 * k + 1 : k + R / 2);
          y[static_cast<size_t>(i1)] =
              c * x[static_cast<size_t>(i1)] - sn * x[static_cast<size_t>(i2)];
          y[static_cast<size_t>(i2)] =
              sn * x[static_cast<size_t>(i1)] + c * x[static_cast<size_t>(i2)];
        }
  return y;
}

// [B, S, H, D] -> [B, H, S, D]
V to_heads_first(const V& v, int64_t B, int64_t S, int64_t H, int64_t D) {
  V o(v.size());
  for (int64_t b = 0; b < B; ++b)
    for (int64_t s = 0; s < S; ++s)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t d = 0; d < D; ++d)
          o[static_cast<size_t>(((b * H + h) * S + s) * D + d)] =
              v[static_cast<size_t>(((b * S + s) * H + h) * D + d)];
  return o;
}

TEST(RotaryEmbedding, MatchesReference) {
  std::mt19937 rng(9);
  const int64_t B = 2, S = 3, H = 2, D = 8, max_pos = 6;
  for (bool rank3 : {false, true}) {
    for (bool interleaved : {false, true}) {
      for (int64_t rot : {int64_t{0}, int64_t{4}}) {
        for (bool with_ids : {false, true}) {
          SCOPED_TRACE(::testing::Message() << rank3 << interleaved << rot << with_ids);
          const int64_t R = rot ? rot : D;
          const V x = random_values(B * S * H * D, rng);
          const std::vector<int64_t> ids =
              with_ids ? std::vector<int64_t>{5, 0, 2, 1, 1, 4} : std::vector<int64_t>{};
          const int64_t rows = with_ids ? max_pos : B * S;
          const V cos = random_values(rows * R / 2, rng), sin = random_values(rows * R / 2, rng);
          const V want = reference(x, B, S, H, D, R, interleaved, cos, sin, ids);
          RotaryParams params;
          params.num_heads = rank3 ? H : 0;
          params.rotary_dim = rot;
          params.interleaved = interleaved;
          const Dims xs = rank3 ? Dims{B, S, H * D} : Dims{B, H, S, D};
          const Dims cs = with_ids ? Dims{max_pos, R / 2} : Dims{B, S, R / 2};
          const Dims is{B, S};
          const RotaryPlan plan = plan_rotary(
              params, xs, cs, cs, with_ids ? std::optional<ShapeSpan>(is) : std::nullopt);
          const V xin = rank3 ? x : to_heads_first(x, B, S, H, D);
          V y(x.size());
          rotary_embedding(params, plan, xin.data(), cos.data(), sin.data(),
                           with_ids ? ids.data() : nullptr, y.data(), Precision::kFloat64);
          const V expect = rank3 ? want : to_heads_first(want, B, S, H, D);
          for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], expect[i], 1e-12) << i;
        }
      }
    }
  }
}

TEST(RotaryEmbedding, RejectsBadInputs) {
  RotaryParams p;
  const Dims x{1, 2, 3, 8}, x3{1, 3, 16}, cos{4, 4}, cos_bad{4, 3}, ids{1, 3}, ids_bad{3},
      cos3{1, 3, 4};
  expect_error([&] { plan_rotary(p, x3, cos3, cos3, std::nullopt); }, INFER_INVALID_ARGUMENT,
               "num_heads");
  expect_error([&] { plan_rotary(p, x, cos_bad, cos_bad, ShapeSpan(ids)); }, INFER_INVALID_ARGUMENT,
               "max_position");
  expect_error([&] { plan_rotary(p, x, cos, cos, ShapeSpan(ids_bad)); }, INFER_INVALID_ARGUMENT,
               "position_ids");
  expect_error([&] { plan_rotary(p, x, cos, cos_bad, ShapeSpan(ids)); }, INFER_INVALID_ARGUMENT,
               "differ");
  RotaryParams odd;
  odd.rotary_dim = 3;
  expect_error([&] { plan_rotary(odd, x, cos, cos, ShapeSpan(ids)); }, INFER_INVALID_ARGUMENT,
               "even");
  // A position past the caches is refused before it is read.
  const RotaryPlan plan = plan_rotary(p, x, cos, cos, ShapeSpan(ids));
  const std::vector<double> xv(48), cv(16);
  std::vector<double> y(48);
  const std::vector<int64_t> bad_ids = {0, 4, 1};
  expect_error(
      [&] {
        rotary_embedding(p, plan, xv.data(), cv.data(), cv.data(), bad_ids.data(), y.data(),
                         Precision::kFloat64);
      },
      INFER_INVALID_ARGUMENT, "position id 4");
}

TEST(SwiGlu, MatchesFormula) {
  std::mt19937 rng(3);
  const V a = random_values(20, rng), b = random_values(20, rng);
  for (float alpha : {1.0f, 1.702f}) {
    V y(20);
    swiglu(a.data(), b.data(), 20, alpha, y.data(), Precision::kFloat64);
    for (size_t i = 0; i < 20; ++i) {
      const double want = a[i] / (1 + std::exp(-static_cast<double>(alpha) * a[i])) * b[i];
      EXPECT_NEAR(y[i], want, 1e-12);
    }
  }
}

}  // namespace
}  // namespace infer::cpu::test
