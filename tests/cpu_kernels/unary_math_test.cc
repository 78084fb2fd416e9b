// The unary functors through unary_map, against plain formulas evaluated in double.
#include "kernels/unary_math.h"

#include <cmath>
#include <limits>

#include "kernels/elementwise.h"
#include "test_util.h"

namespace infer::cpu::test {
namespace {

// Runs op over x as float and as double; both must match ref (computed in double).
template <typename Op>
void check_float(const char* name, Op op, double (*ref)(double), float lo, float hi,
                 float tol = 2e-6f) {
  SCOPED_TRACE(name);
  std::mt19937 rng(21);
  const TTensor x = random_tensor({257}, rng, lo, hi);  // odd size: vector loop tails
  std::vector<float> y(x.data.size()), expected(x.data.size());
  for (size_t i = 0; i < x.data.size(); ++i) {
    expected[i] = static_cast<float>(ref(static_cast<double>(x.data[i])));
  }
  unary_map(op, x.data.data(), y.data(), count(x.shape));
  expect_close(y, expected, tol);
  std::vector<double> xd(x.data.begin(), x.data.end()), yd(xd.size());
  unary_map(op, xd.data(), yd.data(), count(x.shape));
  for (size_t i = 0; i < xd.size(); ++i) {
    const double e = ref(xd[i]);
    EXPECT_NEAR(yd[i], e, 1e-12 * (1 + std::fabs(e))) << "double, x = " << xd[i];
  }
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double softplus(double x) { return std::log(1 + std::exp(x)); }

TEST(UnaryMath, FloatFunctionsMatchFormulas) {
  check_float(
      "Exp", fn::Exp{}, [](double x) { return std::exp(x); }, -5, 5);
  check_float(
      "Log", fn::Log{}, [](double x) { return std::log(x); }, 0.01f, 10);
  check_float(
      "Sqrt", fn::Sqrt{}, [](double x) { return std::sqrt(x); }, 0, 10);
  check_float(
      "Reciprocal", fn::Reciprocal{}, [](double x) { return 1 / x; }, 0.1f, 10);
  check_float(
      "Floor", fn::Floor{}, [](double x) { return std::floor(x); }, -5, 5);
  check_float(
      "Ceil", fn::Ceil{}, [](double x) { return std::ceil(x); }, -5, 5);
  check_float(
      "Sin", fn::Sin{}, [](double x) { return std::sin(x); }, -5, 5);
  check_float(
      "Cos", fn::Cos{}, [](double x) { return std::cos(x); }, -5, 5);
  check_float(
      "Tan", fn::Tan{}, [](double x) { return std::tan(x); }, -1.5f, 1.5f, 1e-5f);
  check_float(
      "Asin", fn::Asin{}, [](double x) { return std::asin(x); }, -1, 1);
  check_float(
      "Acos", fn::Acos{}, [](double x) { return std::acos(x); }, -1, 1);
  check_float(
      "Atan", fn::Atan{}, [](double x) { return std::atan(x); }, -5, 5);
  check_float(
      "Sinh", fn::Sinh{}, [](double x) { return std::sinh(x); }, -5, 5);
  check_float(
      "Cosh", fn::Cosh{}, [](double x) { return std::cosh(x); }, -5, 5);
  check_float(
      "Asinh", fn::Asinh{}, [](double x) { return std::asinh(x); }, -5, 5);
  check_float(
      "Acosh", fn::Acosh{}, [](double x) { return std::acosh(x); }, 1, 5);
  check_float(
      "Atanh", fn::Atanh{}, [](double x) { return std::atanh(x); }, -0.99f, 0.99f, 1e-5f);
  check_float(
      "Tanh", fn::Tanh{}, [](double x) { return std::tanh(x); }, -5, 5);
  check_float(
      "Erf", fn::Erf{}, [](double x) { return std::erf(x); }, -3, 3);
  check_float("Sigmoid", fn::Sigmoid{}, sigmoid, -20, 20);
  check_float("Softplus", fn::Softplus{}, softplus, -20, 20);
  check_float(
      "Softsign", fn::Softsign{}, [](double x) { return x / (1 + std::fabs(x)); }, -5, 5);
  check_float(
      "Mish", fn::Mish{}, [](double x) { return x * std::tanh(softplus(x)); }, -5, 5);
  check_float(
      "Abs", fn::Abs{}, [](double x) { return std::fabs(x); }, -5, 5);
  check_float(
      "Neg", fn::Neg{}, [](double x) { return -x; }, -5, 5);
  check_float(
      "Relu", fn::Relu{}, [](double x) { return x > 0 ? x : 0.0; }, -5, 5);
}

TEST(UnaryMath, ActivationsMatchFormulas) {
  check_float(
      "LeakyRelu", fn::LeakyRelu{0.125f}, [](double x) { return x > 0 ? x : 0.125 * x; }, -5, 5);
  check_float(
      "ThresholdedRelu", fn::ThresholdedRelu{0.5f}, [](double x) { return x > 0.5 ? x : 0.0; }, -2,
      2);
  check_float(
      "Elu", fn::Elu{2.0f}, [](double x) { return x > 0 ? x : 2 * (std::exp(x) - 1); }, -5, 5);
  check_float(
      "Selu", fn::Selu{},
      [](double x) {
        // The float defaults of the ONNX spec, exactly.
        const double alpha = 1.67326319217681884765625, gamma = 1.05070102214813232421875;
        return gamma * (x > 0 ? x : alpha * (std::exp(x) - 1));
      },
      -5, 5, 1e-5f);
  check_float(
      "Celu", fn::Celu{0.5f},
      [](double x) { return std::max(0.0, x) + std::min(0.0, 0.5 * (std::exp(x / 0.5) - 1)); }, -5,
      5);
  check_float(
      "HardSigmoid", fn::HardSigmoid{0.25f, 0.5f},
      [](double x) { return std::clamp(0.25 * x + 0.5, 0.0, 1.0); }, -5, 5);
  check_float(
      "HardSwish", fn::HardSwish{}, [](double x) { return x * std::clamp(x / 6 + 0.5, 0.0, 1.0); },
      -5, 5);
  check_float(
      "Gelu", fn::Gelu{}, [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }, -5,
      5);
  check_float(
      "GeluTanh", fn::GeluTanh{},
      [](double x) {
        const double pi = 3.14159265358979323846;
        return 0.5 * x * (1 + std::tanh(std::sqrt(2 / pi) * (x + 0.044715 * x * x * x)));
      },
      -5, 5);
  check_float(
      "Swish", fn::Swish{2.0f}, [](double x) { return x * sigmoid(2 * x); }, -5, 5);
  check_float(
      "Shrink", fn::Shrink{0.25f, 1.0f},
      [](double x) { return x < -1  ? x + 0.25
                            : x > 1 ? x - 0.25
                                    : 0.0; }, -3, 3);
}

TEST(UnaryMath, RoundHalvesToEven) {
  const std::vector<float> x{0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, -2.6f};
  std::vector<float> y(x.size());
  unary_map(fn::Round{}, x.data(), y.data(), static_cast<int64_t>(x.size()));
  EXPECT_EQ(y, (std::vector<float>{0, 2, 2, -0.0f, -2, 2, -3}));
}

TEST(UnaryMath, NaNPropagates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(fn::Relu{}(nan)));
  EXPECT_TRUE(std::isnan(fn::Sign{}(nan)));
  EXPECT_TRUE(std::isnan(fn::HardSigmoid{}(nan)));
  EXPECT_TRUE(std::isnan(fn::LeakyRelu{}(nan)));
  EXPECT_EQ(fn::Sigmoid{}(-1000.0f), 0.0f);  // no inf/inf
  EXPECT_EQ(fn::Sigmoid{}(1000.0f), 1.0f);
  EXPECT_EQ(fn::Softplus{}(1000.0f), 1000.0f);
}

TEST(UnaryMath, IntegersWrapAndTruncate) {
  const std::vector<int8_t> x{-128, -5, 0, 7, 127};
  std::vector<int8_t> y(x.size());
  auto map = [&](auto op) {
    unary_map(op, x.data(), y.data(), static_cast<int64_t>(x.size()));
    return y;
  };
  // Naive: int arithmetic, then the wrap of a two's complement byte.
  auto wrap = [](int v) { return static_cast<int8_t>(static_cast<uint8_t>(v & 0xff)); };
  std::vector<int8_t> abs_ref, neg_ref, sign_ref, relu_ref, not_ref;
  for (int8_t v : x) {
    abs_ref.push_back(wrap(v < 0 ? -v : v));
    neg_ref.push_back(wrap(-v));
    sign_ref.push_back(static_cast<int8_t>(v > 0 ? 1 : v < 0 ? -1 : 0));
    relu_ref.push_back(v > 0 ? v : int8_t{0});
    not_ref.push_back(wrap(-v - 1));
  }
  EXPECT_EQ(map(fn::Abs{}), abs_ref);
  EXPECT_EQ(map(fn::Neg{}), neg_ref);
  EXPECT_EQ(map(fn::Sign{}), sign_ref);
  EXPECT_EQ(map(fn::Relu{}), relu_ref);
  EXPECT_EQ(map(fn::BitwiseNot{}), not_ref);
  EXPECT_EQ(map(fn::Erf{}), (std::vector<int8_t>{-1, 0, 0, 1, 1}));  // erf(+-6..) rounds to 1

  const std::vector<uint16_t> u{0, 3, 65535};
  std::vector<uint16_t> uy(3);
  unary_map(fn::Sign{}, u.data(), uy.data(), 3);
  EXPECT_EQ(uy, (std::vector<uint16_t>{0, 1, 1}));
  unary_map(fn::Abs{}, u.data(), uy.data(), 3);
  EXPECT_EQ(uy, u);

  // Shrink on integers computes in double and truncates toward zero.
  const std::vector<int32_t> s{-3, -1, 0, 1, 3};
  std::vector<int32_t> sy(5);
  unary_map(fn::Shrink{1.5f, 1.0f}, s.data(), sy.data(), 5);
  EXPECT_EQ(sy, (std::vector<int32_t>{-1, 0, 0, 0, 1}));
}

TEST(UnaryMath, PredicatesAndBool) {
  const float inf = std::numeric_limits<float>::infinity(), nan = NAN;
  const std::vector<float> x{1.0f, inf, -inf, nan, 0.0f};
  bool y[5];
  unary_map(fn::IsNaN{}, x.data(), y, 5);
  EXPECT_EQ(std::vector<bool>(y, y + 5), (std::vector<bool>{false, false, false, true, false}));
  unary_map(fn::IsInf{}, x.data(), y, 5);
  EXPECT_EQ(std::vector<bool>(y, y + 5), (std::vector<bool>{false, true, true, false, false}));
  unary_map(fn::IsInf{.positive = false, .negative = true}, x.data(), y, 5);
  EXPECT_EQ(std::vector<bool>(y, y + 5), (std::vector<bool>{false, false, true, false, false}));
  unary_map(fn::IsInf{.positive = true, .negative = false}, x.data(), y, 5);
  EXPECT_EQ(std::vector<bool>(y, y + 5), (std::vector<bool>{false, true, false, false, false}));
  const bool b[] = {true, false};
  bool nb[2];
  unary_map(fn::Not{}, b, nb, 2);
  EXPECT_FALSE(nb[0]);
  EXPECT_TRUE(nb[1]);
}

TEST(UnaryMath, HalfTypesComputeInFloatAndRoundOnce) {
  std::mt19937 rng(22);
  const TTensor x = random_tensor({64}, rng, -4, 4);
  std::vector<Float16> h(64), hy(64);
  std::vector<BFloat16> b(64), by(64);
  for (size_t i = 0; i < 64; ++i) {
    h[i] = Float16{float_to_half(x.data[i])};
    b[i] = BFloat16{float_to_bfloat16(x.data[i])};
  }
  unary_map(fn::Exp{}, h.data(), hy.data(), 64);
  unary_map(fn::Exp{}, b.data(), by.data(), 64);
  for (size_t i = 0; i < 64; ++i) {
    EXPECT_EQ(hy[i].bits, float_to_half(std::exp(half_to_float(h[i].bits)))) << i;
    EXPECT_EQ(by[i].bits, float_to_bfloat16(std::exp(bfloat16_to_float(b[i].bits)))) << i;
  }
}

}  // namespace
}  // namespace infer::cpu::test
