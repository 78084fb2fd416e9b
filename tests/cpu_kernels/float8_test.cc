// The float8 storage types: decoding of every code against a naive decoder written from the
// format definitions, round trips, rounding ties, saturation, and Cast to and from float8.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/cast.h"
#include "kernels/dtype.h"

namespace infer::cpu {
namespace {

constexpr Float8Format kAllFormats[] = {Float8Format::kE4M3FN, Float8Format::kE4M3FNUZ,
                                        Float8Format::kE5M2, Float8Format::kE5M2FNUZ};

struct Layout {
  int exponent_bits, mantissa_bits, bias;
  bool fnuz;
};

Layout layout_of(Float8Format f) {
  switch (f) {
    case Float8Format::kE4M3FN:
      return {4, 3, 7, false};
    case Float8Format::kE4M3FNUZ:
      return {4, 3, 8, true};
    case Float8Format::kE5M2:
      return {5, 2, 15, false};
    case Float8Format::kE5M2FNUZ:
      break;
  }
  return {5, 2, 16, true};
}

// Straight from the definitions: (-1)^s * 2^(e - bias) * (1 + m / 2^M) for normals,
// (-1)^s * 2^(1 - bias) * (m / 2^M) for subnormals; the special codes by hand.
double naive_decode(Float8Format f, unsigned code) {
  const Layout l = layout_of(f);
  const unsigned s = code >> 7;
  const unsigned e = (code >> l.mantissa_bits) & ((1u << l.exponent_bits) - 1);
  const unsigned m = code & ((1u << l.mantissa_bits) - 1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (l.fnuz && code == 0x80) return nan;
  if (f == Float8Format::kE4M3FN && e == 15 && m == 7) return nan;
  if (f == Float8Format::kE5M2 && e == 31) {
    return m == 0 ? (s ? -1.0 : 1.0) * std::numeric_limits<double>::infinity() : nan;
  }
  double frac = static_cast<double>(m) / static_cast<double>(1u << l.mantissa_bits);
  double scale = 1.0;
  int exp = e == 0 ? 1 - l.bias : static_cast<int>(e) - l.bias;
  if (e != 0) frac += 1.0;
  for (; exp > 0; --exp) scale *= 2.0;
  for (; exp < 0; ++exp) scale /= 2.0;
  return (s ? -1.0 : 1.0) * frac * scale;
}

double max_finite(Float8Format f) {
  switch (f) {
    case Float8Format::kE4M3FN:
      return 448.0;
    case Float8Format::kE4M3FNUZ:
      return 240.0;
    default:
      return 57344.0;
  }
}

TEST(Float8, EveryCodeDecodesAsTheNaiveDecoder) {
  for (Float8Format f : kAllFormats) {
    for (unsigned code = 0; code < 256; ++code) {
      const double want = naive_decode(f, code);
      const float got = float8_to_float(f, static_cast<uint8_t>(code));
      SCOPED_TRACE(testing::Message() << "format " << static_cast<int>(f) << " code " << code);
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got));
      } else {
        EXPECT_EQ(static_cast<double>(got), want);
        EXPECT_EQ(std::signbit(got), std::signbit(want));
      }
    }
  }
}

TEST(Float8, EveryCodeRoundTrips) {
  for (Float8Format f : kAllFormats) {
    for (unsigned code = 0; code < 256; ++code) {
      const float v = float8_to_float(f, static_cast<uint8_t>(code));
      SCOPED_TRACE(testing::Message() << "format " << static_cast<int>(f) << " code " << code);
      for (bool saturate : {false, true}) {
        const uint8_t back = float_to_float8(f, v, saturate);
        if (std::isnan(v)) {
          EXPECT_TRUE(std::isnan(float8_to_float(f, back)));
        } else if (std::isinf(v) && saturate) {
          EXPECT_EQ(float8_to_float(f, back), std::copysign(max_finite(f), v));
        } else {
          EXPECT_EQ(back, code);
        }
      }
    }
  }
}

TEST(Float8, TiesRoundToEven) {
  for (Float8Format f : kAllFormats) {
    SCOPED_TRACE(static_cast<int>(f));
    // Neighbouring finite positive values a < b: the midpoint goes to the even code, values
    // just off it to the nearer one.
    for (unsigned code = 0; code < 0x7f; ++code) {
      const float a = float8_to_float(f, static_cast<uint8_t>(code));
      const float b = float8_to_float(f, static_cast<uint8_t>(code + 1));
      if (!std::isfinite(a) || !std::isfinite(b)) continue;
      const float mid = (a + b) / 2;  // exact in float
      const unsigned even = (code % 2 == 0) ? code : code + 1;
      EXPECT_EQ(float_to_float8(f, mid, true), even) << code;
      EXPECT_EQ(float_to_float8(f, std::nextafter(mid, 0.0f), true), code) << code;
      EXPECT_EQ(float_to_float8(f, std::nextafter(mid, 1e9f), true), code + 1) << code;
      const unsigned negative = layout_of(f).fnuz && even == 0 ? 0 : even | 0x80;
      EXPECT_EQ(float_to_float8(f, -mid, true), negative) << code;
    }
  }
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, 1.0625f, true), 0x38);  // 1 + 1/16: to 1
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, 1.1875f, true), 0x3a);  // 1 + 3/16: to 1.25
}

TEST(Float8, SaturationAndSpecials) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // E4M3FN: 448 is 0x7e; 464 ties to 448 (even); beyond is NaN without saturation.
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, 464.0f, false), 0x7e);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, 465.0f, false), 0x7f);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, 1e6f, true), 0x7e);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, -inf, true), 0xfe);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, -inf, false), 0xff);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, nan, true), 0x7f);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, -0.0f, true), 0x80);
  // E4M3FNUZ: max 240 (0x7f); 248 ties up to 256, which overflows; NaN is 0x80, -0 is +0.
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FNUZ, 248.0f, false), 0x80);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FNUZ, 248.0f, true), 0x7f);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FNUZ, -1e9f, true), 0xff);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FNUZ, inf, false), 0x80);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FNUZ, -0.0f, false), 0x00);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FNUZ, -1e-9f, true), 0x00);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FNUZ, nan, false), 0x80);
  // E5M2: IEEE-like, overflow to inf without saturation; 61440 ties up to inf.
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2, 61440.0f, false), 0x7c);
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2, 61439.0f, false), 0x7b);
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2, 61440.0f, true), 0x7b);
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2, -inf, false), 0xfc);
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2, -inf, true), 0xfb);
  EXPECT_TRUE(std::isnan(
      float8_to_float(Float8Format::kE5M2, float_to_float8(Float8Format::kE5M2, nan, true))));
  // E5M2FNUZ: max 57344 (0x7f), no inf.
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2FNUZ, 1e9f, false), 0x80);
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2FNUZ, 1e9f, true), 0x7f);
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2FNUZ, inf, true), 0x7f);
  // Below half the smallest subnormal: zero; just above: the smallest subnormal.
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, std::ldexp(1.0f, -10), true), 0x00);
  EXPECT_EQ(float_to_float8(Float8Format::kE4M3FN, std::ldexp(1.1f, -10), true), 0x01);
  EXPECT_EQ(float_to_float8(Float8Format::kE5M2, std::ldexp(1.0f, -16), true), 0x01);
}

TEST(Float8, CastThroughEveryFormat) {
  const std::vector<float> x{0.0f, 1.0f, -2.5f, 0.3f, 1000.0f, -1e9f};
  for (Float8Format f : kAllFormats) {
    const auto to = static_cast<infer_dtype>(INFER_DTYPE_FLOAT8E4M3FN + static_cast<int>(f));
    SCOPED_TRACE(static_cast<int>(f));
    for (bool saturate : {false, true}) {
      std::vector<uint8_t> y(x.size());
      cast_elements(INFER_DTYPE_FLOAT32, x.data(), to, y.data(), static_cast<int64_t>(x.size()),
                    saturate);
      for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], float_to_float8(f, x[i], saturate));
      std::vector<float> back(x.size());
      cast_elements(to, y.data(), INFER_DTYPE_FLOAT32, back.data(), static_cast<int64_t>(x.size()));
      for (size_t i = 0; i < x.size(); ++i) {
        const float want = float8_to_float(f, y[i]);
        if (std::isnan(want)) {
          EXPECT_TRUE(std::isnan(back[i]));
        } else {
          EXPECT_EQ(back[i], want);
        }
      }
    }
    // float8 to int64 truncates like any float.
    const uint8_t code = float_to_float8(f, -2.5f, true);
    int64_t i = 0;
    cast_elements(to, &code, INFER_DTYPE_INT64, &i, 1);
    EXPECT_EQ(i, -2);
  }
  // double reaches float8 through float (as ml_dtypes): 432 - 2^-44 becomes the tie 432, which
  // goes to the even 448.
  const double d = 432.0 - std::ldexp(1.0, -44);
  uint8_t y = 0;
  cast_elements(INFER_DTYPE_FLOAT64, &d, INFER_DTYPE_FLOAT8E4M3FN, &y, 1);
  EXPECT_EQ(y, 0x7e);
}

}  // namespace
}  // namespace infer::cpu
