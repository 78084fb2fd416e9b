// Per-element functors of the binary operators, for binary_broadcast (kernels/elementwise.h).
// They take and return compute types (see unary_math.h). Integer arithmetic wraps around and
// division by zero gives 0 (as numpy) instead of undefined behaviour or SIGFPE.
#ifndef INFER_PLUGINS_CPU_KERNELS_BINARY_MATH_H_
#define INFER_PLUGINS_CPU_KERNELS_BINARY_MATH_H_

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "kernels/convert.h"
#include "kernels/unary_math.h"

namespace infer::cpu::fn {

// The unsigned type integer arithmetic on C wraps in: at least unsigned int, so that small
// types are not promoted to (overflowing) int.
template <typename C>
using wrap_t =
    std::conditional_t<(sizeof(C) < sizeof(unsigned)), unsigned, std::make_unsigned_t<C>>;

#define INFER_CPU_ARITH_FN(Name, op)                                                   \
  struct Name {                                                                        \
    template <typename C>                                                              \
    C operator()(C a, C b) const {                                                     \
      if constexpr (std::is_integral_v<C>) {                                           \
        return static_cast<C>(static_cast<wrap_t<C>>(a) op static_cast<wrap_t<C>>(b)); \
      } else {                                                                         \
        return a op b;                                                                 \
      }                                                                                \
    }                                                                                  \
  };
INFER_CPU_ARITH_FN(Add, +)
INFER_CPU_ARITH_FN(Sub, -)
INFER_CPU_ARITH_FN(Mul, *)
#undef INFER_CPU_ARITH_FN

// Integer division truncates toward zero (C, and ONNX's reference since onnx 1.16).
struct Div {
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      if (b == 0) return C{0};
      if constexpr (std::is_signed_v<C>) {
        if (b == -1) return wrap_neg(a);  // INT_MIN / -1 traps
      }
      return static_cast<C>(a / b);
    } else {
      return a / b;
    }
  }
};

// Mod with fmod = 0: the result takes the sign of the divisor (numpy.mod, also for floats).
struct Mod {
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      if (b == 0) return C{0};
      if constexpr (std::is_signed_v<C>) {
        if (b == -1) return C{0};
        auto r = static_cast<C>(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<C>(r + b);
        return r;
      } else {
        return static_cast<C>(a % b);
      }
    } else {
      // numpy's npy_divmod.
      C r = std::fmod(a, b);
      if (b == 0) return r;  // NaN
      if (r != 0) {
        if ((b < 0) != (r < 0)) r += b;
      } else {
        r = std::copysign(C{0}, b);
      }
      return r;
    }
  }
};

// Mod with fmod = 1: the result takes the sign of the dividend (C's % and fmod).
struct FMod {
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      if (b == 0) return C{0};
      if constexpr (std::is_signed_v<C>) {
        if (b == -1) return C{0};
      }
      return static_cast<C>(a % b);
    } else {
      return std::fmod(a, b);
    }
  }
};

// Base and exponent may have different types; the result has the base's type. Integer powers
// wrap; a negative integer exponent gives the truncated 1 / a^-b. Anything with a float is
// computed in float when both are single precision (or less), else in double.
struct Pow {
  template <typename A, typename B>
  A operator()(A a, B b) const {
    if constexpr (std::is_integral_v<A> && std::is_integral_v<B>) {
      if constexpr (std::is_signed_v<B>) {
        if (b < 0) {
          if (a == 1) return A{1};
          if constexpr (std::is_signed_v<A>) {
            if (a == -1) return b % 2 ? A{-1} : A{1};
          }
          return A{0};
        }
      }
      wrap_t<A> result = 1, base = static_cast<wrap_t<A>>(a);
      for (auto e = static_cast<uint64_t>(b); e; e >>= 1) {
        if (e & 1) result = static_cast<wrap_t<A>>(result * base);
        base = static_cast<wrap_t<A>>(base * base);
      }
      return static_cast<A>(result);
    } else {
      using W =
          std::conditional_t<std::is_same_v<A, float> && std::is_same_v<B, float>, float, double>;
      return convert_to<A>(std::pow(static_cast<W>(a), static_cast<W>(b)));
    }
  }
};

// x for x > 0, else x * slope.
struct PRelu {
  template <typename C>
  C operator()(C x, C slope) const {
    return x > 0 ? x : Mul{}(x, slope);
  }
};

// NaN propagates from either side, as numpy.maximum/minimum.
struct Max {
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) {
      if (std::isnan(a)) return a;
    }
    return a > b ? a : b;
  }
};

struct Min {
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) {
      if (std::isnan(a)) return a;
    }
    return a < b ? a : b;
  }
};

#define INFER_CPU_PREDICATE_FN(Name, expr)   \
  struct Name {                              \
    static constexpr bool kPredicate = true; \
    template <typename C>                    \
    bool operator()(C a, C b) const {        \
      return expr;                           \
    }                                        \
  };
INFER_CPU_PREDICATE_FN(Equal, a == b)
INFER_CPU_PREDICATE_FN(Greater, a > b)
INFER_CPU_PREDICATE_FN(Less, a < b)
INFER_CPU_PREDICATE_FN(GreaterOrEqual, a >= b)
INFER_CPU_PREDICATE_FN(LessOrEqual, a <= b)
INFER_CPU_PREDICATE_FN(And, (a && b))
INFER_CPU_PREDICATE_FN(Or, (a || b))
INFER_CPU_PREDICATE_FN(Xor, a != b)
#undef INFER_CPU_PREDICATE_FN

#define INFER_CPU_BITWISE_FN(Name, op) \
  struct Name {                        \
    template <typename C>              \
    C operator()(C a, C b) const {     \
      return static_cast<C>(a op b);   \
    }                                  \
  };
INFER_CPU_BITWISE_FN(BitwiseAnd, &)
INFER_CPU_BITWISE_FN(BitwiseOr, |)
INFER_CPU_BITWISE_FN(BitwiseXor, ^)
#undef INFER_CPU_BITWISE_FN

// Shifts by a negative amount or by the bit width or more give 0 (-1 for a negative signed
// value shifted right), as the reference; a left shift of a signed value shifts its bits.
template <typename C>
bool shift_in_range(C b) {
  if constexpr (std::is_signed_v<C>) {
    if (b < 0) return false;
  }
  return static_cast<uint64_t>(b) < sizeof(C) * 8;
}

struct ShiftLeft {
  template <typename C>
  C operator()(C a, C b) const {
    if (!shift_in_range(b)) return C{0};
    return static_cast<C>(static_cast<wrap_t<C>>(a) << b);
  }
};

struct ShiftRight {
  template <typename C>
  C operator()(C a, C b) const {
    if (!shift_in_range(b)) {
      if constexpr (std::is_signed_v<C>) {
        if (a < 0) return C{-1};
      }
      return C{0};
    }
    return static_cast<C>(a >> b);  // arithmetic for signed types (C++20)
  }
};

}  // namespace infer::cpu::fn

#endif  // INFER_PLUGINS_CPU_KERNELS_BINARY_MATH_H_
