#include "kernels/dtype.h"

#include <gtest/gtest.h>

#include <cmath>

namespace infer::cpu {
namespace {

TEST(Float16, KnownValues) {
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);  // largest finite
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);  // rounds up to inf
  EXPECT_EQ(float_to_half(0.1f), 0x2e66);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24)), 0x0001);         // smallest subnormal
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -26)), 0x0000);         // rounds to zero
  EXPECT_EQ(float_to_half(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie to even
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(NAN))));
  EXPECT_EQ(half_to_float(0x7c00), INFINITY);
}

TEST(Float16, EveryFiniteHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00u) == 0x7c00u) continue;  // inf/NaN
    const auto bits = static_cast<uint16_t>(h);
    ASSERT_EQ(float_to_half(half_to_float(bits)), bits) << std::hex << h;
  }
}

TEST(BFloat16, RoundsToNearestEven) {
  EXPECT_EQ(float_to_bfloat16(1.0f), 0x3f80);
  EXPECT_EQ(bfloat16_to_float(0x3f80), 1.0f);
  EXPECT_EQ(float_to_bfloat16(std::bit_cast<float>(0x3f808000u)), 0x3f80);  // tie, even stays
  EXPECT_EQ(float_to_bfloat16(std::bit_cast<float>(0x3f818000u)), 0x3f82);  // tie, odd rounds up
  EXPECT_TRUE(std::isnan(bfloat16_to_float(float_to_bfloat16(NAN))));
}

TEST(VisitDtype, DispatchesOnlyMaskedTypes) {
  int size = 0;
  EXPECT_TRUE(visit_dtype<kInts>(INFER_DTYPE_INT16, [&](auto t) { size = sizeof(t); }));
  EXPECT_EQ(size, 2);
  EXPECT_FALSE(visit_dtype<kInts>(INFER_DTYPE_FLOAT32, [&](auto) { size = 99; }));
  EXPECT_EQ(size, 2);
}

}  // namespace
}  // namespace infer::cpu
