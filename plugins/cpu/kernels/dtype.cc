#include "kernels/dtype.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace infer::cpu {

float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t{h & 0x8000u} << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t mantissa = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0x1f) {  // inf or NaN
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // zero
    bits = sign;
  } else {  // subnormal: normalise
    uint32_t e = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --e;
    }
    bits = sign | (e << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

uint16_t float_to_half(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  const auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs = bits & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // inf or NaN (keep NaN quiet and non-zero)
    return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0u));
  }
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to inf
  if (abs < 0x38800000u) {  // result is subnormal or zero: let the FPU round
    const float scaled = std::bit_cast<float>(abs) * 16777216.0f;  // 2^24: units of 2^-24
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(std::nearbyint(scaled)));
  }
  // Normal: rebias the exponent and round the mantissa to nearest even.
  const uint32_t rebased = abs - 0x38000000u;
  const uint32_t rounded = rebased + 0xfffu + ((rebased >> 13) & 1u);
  return static_cast<uint16_t>(sign | (rounded >> 13));
}

uint16_t float_to_bfloat16(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);
  const uint32_t rounded = bits + 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(rounded >> 16);
}

namespace {

struct Float8Spec {
  int mantissa_bits;
  int bias;
  bool fnuz;     // NaN is 0x80; no -0, no inf
  bool has_inf;  // E5M2: exponent all ones is inf (mantissa 0) or NaN
  double max;    // largest finite value
};

constexpr Float8Spec spec_of(Float8Format f) {
  switch (f) {
    case Float8Format::kE4M3FN:
      return {3, 7, false, false, 448.0};
    case Float8Format::kE4M3FNUZ:
      return {3, 8, true, false, 240.0};
    case Float8Format::kE5M2:
      return {2, 15, false, true, 57344.0};
    case Float8Format::kE5M2FNUZ:
      break;
  }
  return {2, 16, true, false, 57344.0};
}

}  // namespace

float float8_to_float(Float8Format format, uint8_t bits) {
  const Float8Spec s = spec_of(format);
  const int m = s.mantissa_bits;
  const int exponent = (bits & 0x7f) >> m;
  const int mantissa = bits & ((1 << m) - 1);
  const bool negative = (bits & 0x80) != 0;
  const int exponent_max = (1 << (7 - m)) - 1;
  if (s.fnuz) {
    if (bits == 0x80) return std::numeric_limits<float>::quiet_NaN();
  } else if (s.has_inf) {
    if (exponent == exponent_max) {
      if (mantissa == 0) {
        return negative ? -std::numeric_limits<float>::infinity()
                        : std::numeric_limits<float>::infinity();
      }
      return negative ? -std::numeric_limits<float>::quiet_NaN()
                      : std::numeric_limits<float>::quiet_NaN();
    }
  } else if (exponent == exponent_max && mantissa == (1 << m) - 1) {  // E4M3FN's NaN
    return negative ? -std::numeric_limits<float>::quiet_NaN()
                    : std::numeric_limits<float>::quiet_NaN();
  }
  // Subnormals have exponent 0 and no implicit bit; both cases are exact in float.
  const float magnitude =
      exponent == 0 ? std::ldexp(static_cast<float>(mantissa), 1 - s.bias - m)
                    : std::ldexp(static_cast<float>(mantissa + (1 << m)), exponent - s.bias - m);
  return negative ? -magnitude : magnitude;
}

uint8_t float_to_float8(Float8Format format, float v, bool saturate) {
  const Float8Spec s = spec_of(format);
  const int m = s.mantissa_bits;
  const int exponent_max = (1 << (7 - m)) - 1;
  const bool negative = std::signbit(v);
  const uint8_t sign = negative ? 0x80 : 0x00;
  // NaN codes: FNUZ 0x80; E4M3FN S.1111.111; E5M2 S.11111.10 (quiet).
  const uint8_t nan = s.fnuz      ? uint8_t{0x80}
                      : s.has_inf ? static_cast<uint8_t>(sign | 0x7e)
                                  : static_cast<uint8_t>(sign | 0x7f);
  if (std::isnan(v)) return nan;
  // The largest finite code: all exponent ones but for E5M2 (whose all-ones exponent is inf)
  // and E4M3FN (whose all-ones mantissa there is NaN).
  const uint8_t max_code = s.has_inf
                               ? static_cast<uint8_t>(((exponent_max - 1) << m) | ((1 << m) - 1))
                           : s.fnuz ? uint8_t{0x7f}
                                    : uint8_t{0x7e};
  const auto overflow = [&]() -> uint8_t {
    if (saturate) return static_cast<uint8_t>(sign | max_code);
    if (s.has_inf) return static_cast<uint8_t>(sign | (exponent_max << m));
    return nan;
  };
  const double a = std::fabs(static_cast<double>(v));
  if (std::isinf(a)) return overflow();
  // Round to a multiple of the spacing at a's binade (that of the subnormals below the normal
  // range); scaling by a power of two is exact, nearbyint rounds half to even.
  const int emin = 1 - s.bias;  // exponent of the smallest normal
  int e = 0;
  std::frexp(a, &e);  // a = f * 2^e, f in [0.5, 1)
  const int binade = std::max(e - 1, emin);
  const double quantum = std::ldexp(1.0, binade - m);
  const double r = std::nearbyint(a / quantum) * quantum;
  if (r > s.max) return overflow();
  if (r == 0) return s.fnuz ? uint8_t{0} : sign;
  int re = 0;
  std::frexp(r, &re);
  uint8_t code = 0;
  if (re - 1 < emin) {  // subnormal
    code = static_cast<uint8_t>(std::ldexp(r, m - emin));
  } else {
    const int field = re - 1 + s.bias;
    const auto mantissa = static_cast<int>(std::ldexp(r, m - (re - 1))) - (1 << m);
    code = static_cast<uint8_t>((field << m) | mantissa);
  }
  return static_cast<uint8_t>(sign | code);
}

}  // namespace infer::cpu
