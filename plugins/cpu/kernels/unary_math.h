// Per-element functors of the unary operators and activations, for unary_map
// (kernels/elementwise.h). Each takes and returns the compute type C: float or double for the
// float types, the integer type itself for integers, bool for bool. Parameters (alpha, ...)
// are members, set from the node's attributes.
#ifndef INFER_PLUGINS_CPU_KERNELS_UNARY_MATH_H_
#define INFER_PLUGINS_CPU_KERNELS_UNARY_MATH_H_

#include <cmath>
#include <numbers>
#include <type_traits>

#include "kernels/convert.h"
#include "kernels/vector_math.h"

namespace infer::cpu::fn {

// -x for integers without signed-overflow UB (-INT_MIN wraps to INT_MIN, as numpy).
template <typename C>
C wrap_neg(C x) {
  using W = std::conditional_t<(sizeof(C) < sizeof(unsigned)), unsigned, std::make_unsigned_t<C>>;
  return static_cast<C>(W{0} - static_cast<W>(x));
}

// Lets a plain function of a float type be a functor: [](auto x) { return std::exp(x); }
// would do, but named types keep the op tables readable and the symbols short.
#define INFER_CPU_FLOAT_FN(Name, expr) \
  struct Name {                        \
    template <typename C>              \
    C operator()(C x) const {          \
      return expr;                     \
    }                                  \
  };
INFER_CPU_FLOAT_FN(Exp, std::exp(x))
INFER_CPU_FLOAT_FN(Log, std::log(x))
INFER_CPU_FLOAT_FN(Sqrt, std::sqrt(x))
INFER_CPU_FLOAT_FN(Reciprocal, C{1} / x)
INFER_CPU_FLOAT_FN(Floor, std::floor(x))
INFER_CPU_FLOAT_FN(Ceil, std::ceil(x))
INFER_CPU_FLOAT_FN(Round, std::nearbyint(x))  // halves to even in the default rounding mode
INFER_CPU_FLOAT_FN(Sin, std::sin(x))
INFER_CPU_FLOAT_FN(Cos, std::cos(x))
INFER_CPU_FLOAT_FN(Tan, std::tan(x))
INFER_CPU_FLOAT_FN(Asin, std::asin(x))
INFER_CPU_FLOAT_FN(Acos, std::acos(x))
INFER_CPU_FLOAT_FN(Atan, std::atan(x))
INFER_CPU_FLOAT_FN(Sinh, std::sinh(x))
INFER_CPU_FLOAT_FN(Cosh, std::cosh(x))
INFER_CPU_FLOAT_FN(Asinh, std::asinh(x))
INFER_CPU_FLOAT_FN(Acosh, std::acosh(x))
INFER_CPU_FLOAT_FN(Atanh, std::atanh(x))
INFER_CPU_FLOAT_FN(Softsign, x / (C{1} + std::fabs(x)))
#undef INFER_CPU_FLOAT_FN

// The functors with an apply_f32 member run float32 arrays through the vectorised kernels of
// kernels/vector_math.h instead (see unary_map).
struct Tanh {
  template <typename C>
  C operator()(C x) const {
    return std::tanh(x);
  }
  void apply_f32(const float* x, float* y, int64_t n) const {
    vmath::activation(simd::best_isa(), {FusedActivationKind::kTanh}, x, y, n);
  }
};

struct Abs {
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) {
      return std::fabs(x);
    } else if constexpr (std::is_signed_v<C>) {
      return x < 0 ? wrap_neg(x) : x;
    } else {
      return x;
    }
  }
};

struct Neg {
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) {
      return -x;
    } else {
      return wrap_neg(x);
    }
  }
};

// -1, 0 or 1; NaN stays NaN.
struct Sign {
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) {
      return x > 0 ? C{1} : x < 0 ? C{-1} : x;
    } else if constexpr (std::is_signed_v<C>) {
      return static_cast<C>((x > 0) - (x < 0));
    } else {
      return static_cast<C>(x > 0);
    }
  }
};

// Erf is defined for integer tensors too: erf of an integer truncates to -1, 0 or 1.
struct Erf {
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) {
      return std::erf(x);
    } else {
      return static_cast<C>(std::erf(static_cast<double>(x)));
    }
  }
  void apply_f32(const float* x, float* y, int64_t n) const {
    vmath::erf(simd::best_isa(), x, y, n);
  }
};

// Branch-free: for very negative x, exp(-x) overflows to inf and the result is 0, as it should.
struct Sigmoid {
  template <typename C>
  C operator()(C x) const {
    return C{1} / (C{1} + std::exp(-x));
  }
  void apply_f32(const float* x, float* y, int64_t n) const {
    vmath::activation(simd::best_isa(), {FusedActivationKind::kSigmoid}, x, y, n);
  }
};

// log(1 + exp(x)) without overflow for large x.
template <typename C>
C softplus(C x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

struct Softplus {
  template <typename C>
  C operator()(C x) const {
    return softplus(x);
  }
};

struct Mish {
  template <typename C>
  C operator()(C x) const {
    return x * std::tanh(softplus(x));
  }
};

// NaN propagates (x < 0 is false for NaN).
struct Relu {
  template <typename C>
  C operator()(C x) const {
    return x < 0 ? C{0} : x;
  }
  void apply_f32(const float* x, float* y, int64_t n) const {
    vmath::activation(simd::best_isa(), {FusedActivationKind::kRelu}, x, y, n);
  }
};

struct LeakyRelu {
  float alpha = 0.01f;
  template <typename C>
  C operator()(C x) const {
    return x > 0 ? x : x * static_cast<C>(alpha);
  }
};

struct ThresholdedRelu {
  float alpha = 1.0f;
  template <typename C>
  C operator()(C x) const {
    return x > static_cast<C>(alpha) ? x : C{0};
  }
};

struct Elu {
  float alpha = 1.0f;
  template <typename C>
  C operator()(C x) const {
    return x > 0 ? x : static_cast<C>(alpha) * std::expm1(x);
  }
};

struct Selu {
  float alpha = 1.67326319217681884765625f;
  float gamma = 1.05070102214813232421875f;
  template <typename C>
  C operator()(C x) const {
    return static_cast<C>(gamma) * (x > 0 ? x : static_cast<C>(alpha) * std::expm1(x));
  }
};

// max(0, x) + min(0, alpha * (exp(x / alpha) - 1)); alpha != 0 is checked at compile time.
struct Celu {
  float alpha = 1.0f;
  template <typename C>
  C operator()(C x) const {
    const auto a = static_cast<C>(alpha);
    return x > 0 ? x : a * std::expm1(x / a);
  }
};

// max(0, min(1, alpha * x + beta)), NaN kept.
struct HardSigmoid {
  float alpha = 0.2f;
  float beta = 0.5f;
  template <typename C>
  C operator()(C x) const {
    const C v = static_cast<C>(alpha) * x + static_cast<C>(beta);
    return v < 0 ? C{0} : v > 1 ? C{1} : v;
  }
};

// x * HardSigmoid(x) with alpha = 1/6, beta = 0.5 (x / 6 is exact where 1/6 is not).
struct HardSwish {
  template <typename C>
  C operator()(C x) const {
    const C v = x / C{6} + C{0.5};
    return x * (v < 0 ? C{0} : v > 1 ? C{1} : v);
  }
};

// Gelu with approximate = "none".
struct Gelu {
  template <typename C>
  C operator()(C x) const {
    return C{0.5} * x * (C{1} + std::erf(x * static_cast<C>(1 / std::numbers::sqrt2)));
  }
  void apply_f32(const float* x, float* y, int64_t n) const {
    vmath::activation(simd::best_isa(), {FusedActivationKind::kGelu}, x, y, n);
  }
};

// Gelu with approximate = "tanh".
struct GeluTanh {
  template <typename C>
  C operator()(C x) const {
    const auto k = static_cast<C>(std::numbers::sqrt2 * std::numbers::inv_sqrtpi);  // sqrt(2/pi)
    return C{0.5} * x * (C{1} + std::tanh(k * (x + static_cast<C>(0.044715) * x * x * x)));
  }
};

// x * sigmoid(alpha * x).
struct Swish {
  float alpha = 1.0f;
  template <typename C>
  C operator()(C x) const {
    return x * Sigmoid{}(static_cast<C>(alpha) * x);
  }
};

// x + bias below -lambd, x - bias above lambd, else 0. Integer inputs compute in double and
// truncate back, as the reference's float arithmetic does.
struct Shrink {
  float bias = 0.0f;
  float lambd = 0.5f;
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) {
      const auto b = static_cast<C>(bias), l = static_cast<C>(lambd);
      return x < -l ? x + b : x > l ? x - b : C{0};
    } else {
      const auto v = static_cast<double>(x), b = double{bias}, l = double{lambd};
      return convert_to<C>(v < -l ? v + b : v > l ? v - b : 0.0);
    }
  }
};

struct Not {
  bool operator()(bool x) const { return !x; }
};

struct BitwiseNot {
  template <typename C>
  C operator()(C x) const {
    return static_cast<C>(~x);
  }
};

struct IsNaN {
  static constexpr bool kPredicate = true;
  template <typename C>
  bool operator()(C x) const {
    return std::isnan(x);
  }
};

struct IsInf {
  static constexpr bool kPredicate = true;
  bool positive = true;
  bool negative = true;
  template <typename C>
  bool operator()(C x) const {
    return std::isinf(x) && (x > 0 ? positive : negative);
  }
};

}  // namespace infer::cpu::fn

#endif  // INFER_PLUGINS_CPU_KERNELS_UNARY_MATH_H_
