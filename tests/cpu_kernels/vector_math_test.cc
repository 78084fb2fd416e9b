// The vectorised float32 kernels (kernels/vector_math.h) against naive double references, for
// every compiled ISA this CPU runs, inline and on a 2-thread intra-op pool, over sizes that
// exercise the vector tails and inputs with NaN, infinities, large values and denormals.
#include "kernels/vector_math.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "kernels/elementwise.h"
#include "kernels/fused_activation.h"
#include "kernels/normalization.h"
#include "kernels/parallel.h"
#include "kernels/softmax.h"
#include "kernels/unary_math.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

using simd::Isa;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kDenorm = 1e-40f;

const int64_t kSizes[] = {0, 1, 15, 16, 17, 1000, 4099};

// The ISAs to force: every compiled one the CPU supports.
std::vector<Isa> isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::kBaseline, Isa::kAvx2, Isa::kAvx512}) {
    if (simd::isa_supported(isa)) out.push_back(isa);
  }
  return out;
}

const char* isa_name(Isa isa) {
  return isa == Isa::kAvx512 ? "avx512" : isa == Isa::kAvx2 ? "avx2" : "baseline";
}

// Uniform values in [-lim, lim] with special values sprinkled in when `specials`.
std::vector<float> inputs(int64_t n, float lim, bool specials, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-lim, lim);
  std::vector<float> x(static_cast<size_t>(n));
  for (float& v : x) v = dist(rng);
  if (specials) {
    const float special[] = {kNaN,  kInf,  -kInf, 100.0f, -100.0f, kDenorm, -kDenorm,
                             0.0f,  -0.0f, 88.5f, 89.0f,  -87.5f,  -103.0f, 1e-3f,
                             -0.5f, 3.9f,  4.0f,  -0.92f, 0.62f,   -0.63f};
    for (size_t i = 0; i < x.size(); i += 7) x[i] = special[(i / 7) % std::size(special)];
  }
  return x;
}

// got ~= want: both NaN, or within atol + rtol * |want| (equal infinities pass).
bool close(float got, double want, double rtol, double atol) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return static_cast<double>(got) == want;
  return std::fabs(static_cast<double>(got) - want) <= atol + rtol * std::fabs(want);
}

template <typename Ref>
void expect_close(const std::vector<float>& got, const std::vector<float>& x, Ref ref, double rtol,
                  double atol, const std::string& what) {
  int failures = 0;
  for (size_t i = 0; i < got.size() && failures < 5; ++i) {
    const double want = ref(i);
    if (!close(got[i], want, rtol, atol)) {
      ADD_FAILURE() << what << " at " << i << ": x = " << x[i] << ", got " << got[i] << ", want "
                    << want;
      ++failures;
    }
  }
}

// The double reference of each activation.
double ref_activation(const FusedActivation& a, double x) {
  switch (a.kind) {
    case FusedActivationKind::kNone:
      return x;
    case FusedActivationKind::kRelu:
      return fn::Relu{}(x);
    case FusedActivationKind::kClip:
      return x < a.alpha ? a.alpha : x > a.beta ? a.beta : x;
    case FusedActivationKind::kSigmoid:
      return fn::Sigmoid{}(x);
    case FusedActivationKind::kTanh:
      return std::tanh(x);
    case FusedActivationKind::kLeakyRelu:
      return fn::LeakyRelu{a.alpha}(x);
    case FusedActivationKind::kHardSigmoid:
      return fn::HardSigmoid{a.alpha, a.beta}(x);
    case FusedActivationKind::kGelu:
      return fn::Gelu{}(x);
    case FusedActivationKind::kHardSwish:
      return fn::HardSwish{}(x);
    case FusedActivationKind::kSilu:
      return x * fn::Sigmoid{}(x);
  }
  return 0;
}

const FusedActivation kActivations[] = {
    {FusedActivationKind::kNone},
    {FusedActivationKind::kRelu},
    {FusedActivationKind::kClip, 0.0f, 6.0f},
    {FusedActivationKind::kSigmoid},
    {FusedActivationKind::kTanh},
    {FusedActivationKind::kLeakyRelu, 0.1f},
    {FusedActivationKind::kHardSigmoid, 0.2f, 0.5f},
    {FusedActivationKind::kGelu},
    {FusedActivationKind::kHardSwish},
    {FusedActivationKind::kSilu},
};

// Runs every test body inline and with a 2-thread pool installed.
class VectorMath : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) scope_.emplace(&pool_);
  }
  // Sizes, plus a large one that the pool actually splits.
  std::vector<int64_t> sizes() const {
    std::vector<int64_t> s(std::begin(kSizes), std::end(kSizes));
    if (GetParam()) s.push_back(100003);
    return s;
  }

 private:
  IntraOpPool pool_{2};
  std::optional<ScopedIntraOpPool> scope_;
};

TEST_P(VectorMath, ActivationsMatchReference) {
  for (Isa isa : isas()) {
    for (const FusedActivation& act : kActivations) {
      for (int64_t n : sizes()) {
        const std::vector<float> x = inputs(n, 10.0f, true, static_cast<uint32_t>(n) + 1);
        std::vector<float> y(x.size(), -1.0f);
        vmath::activation(isa, act, x.data(), y.data(), n);
        expect_close(
            y, x, [&](size_t i) { return ref_activation(act, static_cast<double>(x[i])); }, 2e-6,
            1e-6, str_cat(isa_name(isa), " activation ", static_cast<int>(act.kind), " n=", n));
        // In place, through the public entry point.
        std::vector<float> z = x;
        fused_activation(act, z.data(), z.data(), n);
        expect_close(
            z, x, [&](size_t i) { return ref_activation(act, static_cast<double>(x[i])); }, 2e-6,
            1e-6, str_cat("fused_activation ", static_cast<int>(act.kind), " n=", n));
      }
    }
  }
}

TEST_P(VectorMath, EpilogueMatchesReference) {
  const int64_t outer = GetParam() ? 40 : 2;
  for (Isa isa : isas()) {
    for (const FusedActivation& act : kActivations) {
      for (int64_t size : sizes()) {
        if (size > 5000) continue;
        // [outer, 3, size] with a bias per channel, and [outer, size, 1] with the bias along
        // the row (the MatMul / Gemm epilogue).
        for (int64_t channels : {int64_t{3}, size}) {
          const int64_t inner = channels == size ? 1 : size;
          const int64_t n = outer * channels * inner;
          const std::vector<float> x = inputs(n, 8.0f, true, 7);
          const std::vector<float> z = inputs(n, 1.0f, false, 8);
          const std::vector<float> bias = inputs(channels, 3.0f, false, 9);
          for (int with_z = 0; with_z < 2; ++with_z) {
            std::vector<float> y = x;
            vmath::epilogue(isa, act, y.data(), outer, channels, inner, bias.data(),
                            with_z ? z.data() : nullptr);
            expect_close(
                y, x,
                [&](size_t i) {
                  const auto c = static_cast<size_t>(static_cast<int64_t>(i) / inner % channels);
                  const float v = x[i] + bias[c] + (with_z ? z[i] : 0.0f);
                  return ref_activation(act, static_cast<double>(v));
                },
                2e-6, 1e-6,
                str_cat(isa_name(isa), " epilogue ", static_cast<int>(act.kind),
                        " channels=", channels, " inner=", inner, " z=", with_z));
          }
        }
      }
    }
  }
}

TEST_P(VectorMath, ErfAndExpMatchLibm) {
  for (Isa isa : isas()) {
    for (int64_t n : sizes()) {
      const std::vector<float> x = inputs(n, 5.0f, true, 3);
      std::vector<float> y(x.size());
      vmath::erf(isa, x.data(), y.data(), n);
      expect_close(
          y, x, [&](size_t i) { return std::erf(static_cast<double>(x[i])); }, 1e-6, 1e-7,
          str_cat(isa_name(isa), " erf n=", n));
      const std::vector<float> e = inputs(n, 90.0f, true, 4);
      vmath::exp(isa, e.data(), y.data(), n);
      expect_close(
          y, e, [&](size_t i) { return static_cast<double>(std::exp(e[i])); }, 1e-6, 1e-44,
          str_cat(isa_name(isa), " exp n=", n));
    }
  }
  // Through the Erf / Gelu operators' unary_map.
  const std::vector<float> x = inputs(4099, 5.0f, true, 5);
  std::vector<float> y(x.size());
  unary_map(fn::Erf{}, x.data(), y.data(), 4099);
  expect_close(
      y, x, [&](size_t i) { return std::erf(static_cast<double>(x[i])); }, 1e-6, 1e-7,
      "unary_map Erf");
  unary_map(fn::Gelu{}, x.data(), y.data(), 4099);
  expect_close(
      y, x, [&](size_t i) { return fn::Gelu{}(static_cast<double>(x[i])); }, 2e-6, 1e-6,
      "unary_map Gelu");
}

TEST_P(VectorMath, SoftmaxRowsMatchReference) {
  for (Isa isa : isas()) {
    for (bool log : {false, true}) {
      for (int64_t len : sizes()) {
        if (len == 0 || len > 5000) continue;
        const int64_t rows = GetParam() ? 40 : 3;
        std::vector<float> x = inputs(rows * len, 20.0f, false, 9);
        // Large values and masked (-inf) entries, as attention produces.
        for (size_t i = 0; i < x.size(); i += 11) x[i] = i % 2 ? -kInf : 100.0f;
        for (int64_t r = 0; r < rows; ++r) x[static_cast<size_t>(r * len)] = 1.0f;  // no all -inf
        std::vector<float> y(x.size());
        vmath::softmax_rows(isa, log, x.data(), y.data(), rows, len);
        std::vector<double> want(x.size());
        for (int64_t r = 0; r < rows; ++r) {
          const float* xr = x.data() + r * len;
          double max = -INFINITY, sum = 0;
          for (int64_t j = 0; j < len; ++j) max = std::max(max, static_cast<double>(xr[j]));
          for (int64_t j = 0; j < len; ++j) sum += std::exp(xr[j] - max);
          for (int64_t j = 0; j < len; ++j) {
            want[static_cast<size_t>(r * len + j)] =
                log ? xr[j] - max - std::log(sum) : std::exp(xr[j] - max) / sum;
          }
        }
        expect_close(
            y, x, [&](size_t i) { return want[i]; }, 1e-5, log ? 1e-6 : 1e-9,
            str_cat(isa_name(isa), log ? " logsoftmax" : " softmax", " len=", len));
      }
    }
    // A NaN poisons its row only.
    std::vector<float> x = {1, kNaN, 3, 4, 1, 2, 3, 4};
    std::vector<float> y(8);
    vmath::softmax_rows(isa, false, x.data(), y.data(), 2, 4);
    for (int j = 0; j < 4; ++j) EXPECT_TRUE(std::isnan(y[static_cast<size_t>(j)]));
    for (int j = 4; j < 8; ++j) EXPECT_FALSE(std::isnan(y[static_cast<size_t>(j)]));
  }
}

TEST_P(VectorMath, LayerNormRowsMatchReference) {
  for (Isa isa : isas()) {
    for (bool rms : {false, true}) {
      for (int64_t cols : sizes()) {
        if (cols == 0 || cols > 5000) continue;
        const int64_t rows = GetParam() ? 50 : 3;
        std::vector<float> x = inputs(rows * cols, 3.0f, false, 11);
        for (size_t i = 0; i < x.size(); ++i) x[i] += 50.0f;  // a mean far from 0
        const std::vector<float> scale = inputs(cols, 2.0f, false, 12);
        const std::vector<float> bias = inputs(cols, 1.0f, false, 13);
        std::vector<float> y(x.size()), mean(static_cast<size_t>(rows)),
            inv(static_cast<size_t>(rows));
        vmath::layer_norm_rows(isa, rms, 1e-5f, x.data(), scale.data(), rms ? nullptr : bias.data(),
                               y.data(), mean.data(), inv.data(), rows, cols);
        std::vector<double> want(x.size());
        for (int64_t r = 0; r < rows; ++r) {
          const float* xr = x.data() + r * cols;
          double mu = 0, var = 0;
          if (!rms) {
            for (int64_t c = 0; c < cols; ++c) mu += xr[c];
            mu /= static_cast<double>(cols);
          }
          for (int64_t c = 0; c < cols; ++c) var += (xr[c] - mu) * (xr[c] - mu);
          const double is = 1 / std::sqrt(var / static_cast<double>(cols) + 1e-5);
          EXPECT_TRUE(close(mean[static_cast<size_t>(r)], mu, 1e-6, 1e-6));
          EXPECT_TRUE(close(inv[static_cast<size_t>(r)], is, 1e-6, 0));
          for (int64_t c = 0; c < cols; ++c) {
            const auto cs = static_cast<size_t>(c);
            want[static_cast<size_t>(r * cols + c)] =
                (xr[c] - mu) * is * scale[cs] + (rms ? 0.0 : bias[cs]);
          }
        }
        expect_close(
            y, x, [&](size_t i) { return want[i]; }, 1e-5, 2e-5,
            str_cat(isa_name(isa), rms ? " rmsnorm" : " layernorm", " cols=", cols));
      }
    }
  }
}

// The public float32 kernels route to the vectorised paths and keep the generic ones for the
// shapes those do not cover.
TEST_P(VectorMath, PublicKernelsMatchGenericPaths) {
  const int64_t rows = 6, cols = 37;
  const std::vector<float> x = inputs(rows * cols, 4.0f, false, 21);
  std::vector<float> y(x.size());
  softmax_kind<float>(SoftmaxKind::kLogSoftmax, x.data(), y.data(), {rows, cols, 1});
  std::vector<float> yd(x.size());
  vmath::softmax_rows(Isa::kBaseline, true, x.data(), yd.data(), rows, cols);
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], yd[i], 1e-5);

  // Scale [rows, 1] varies per row: the generic path.
  const Dims x_shape{rows, cols}, per_row{rows, 1}, per_col{cols};
  const std::vector<float> sr = inputs(rows, 2.0f, false, 22), sc = inputs(cols, 2.0f, false, 23);
  const RowNormPlan p_row = plan_row_norm(x_shape, -1, per_row, nullptr);
  const RowNormPlan p_col = plan_row_norm(x_shape, -1, per_col, nullptr);
  std::vector<float> a(x.size()), b(x.size());
  row_norm<float>(p_row, false, 1e-5f, x.data(), sr.data(), nullptr, a.data(), nullptr, nullptr);
  row_norm<float>(p_col, false, 1e-5f, x.data(), sc.data(), nullptr, b.data(), nullptr, nullptr);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const auto i = static_cast<size_t>(r * cols + c);
      EXPECT_NEAR(a[i] / sr[static_cast<size_t>(r)], b[i] / sc[static_cast<size_t>(c)], 1e-4);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, VectorMath, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? std::string("Pool2") : std::string("Inline");
                         });

}  // namespace
}  // namespace infer::cpu::test
