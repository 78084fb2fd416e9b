#include "fp16.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace infer::npu_sim {
namespace {

TEST(Fp16, EdgeCases) {
  EXPECT_EQ(float_to_half(0.0f), 0x0000);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);    // largest finite
  EXPECT_EQ(float_to_half(65519.996f), 0x7bff);  // just below the tie
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);    // tie rounds to even: inf
  EXPECT_EQ(float_to_half(1e6f), 0x7c00);        // overflow
  EXPECT_EQ(float_to_half(-1e6f), 0xfc00);
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(float_to_half(-std::numeric_limits<float>::infinity()), 0xfc00);
  const uint16_t nan = float_to_half(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7c00, 0x7c00);
  EXPECT_NE(nan & 0x03ff, 0);
  EXPECT_TRUE(std::isnan(half_to_float(nan)));
  // Subnormals and their ties.
  EXPECT_EQ(float_to_half(0x1p-24f), 0x0001);         // smallest subnormal
  EXPECT_EQ(float_to_half(0x1p-25f), 0x0000);         // tie between 0 and 2^-24: even
  EXPECT_EQ(float_to_half(0x1.000002p-25f), 0x0001);  // just above the tie
  EXPECT_EQ(float_to_half(3 * 0x1p-25f), 0x0002);     // tie between 1 and 2 ulps: even
  EXPECT_EQ(float_to_half(1023 * 0x1p-24f), 0x03ff);  // largest subnormal
  EXPECT_EQ(float_to_half(0x1p-14f), 0x0400);         // smallest normal
  EXPECT_EQ(float_to_half(0x1.ffcp-15f), 0x0400);     // rounds up into the normals
  EXPECT_EQ(float_to_half(1e-10f), 0x0000);           // underflow
  EXPECT_EQ(float_to_half(-1e-10f), 0x8000);
  // Normal ties: 1 + 2^-11 is halfway between 1 and 1 + 2^-10.
  EXPECT_EQ(float_to_half(1.0f + 0x1p-11f), 0x3c00);
  EXPECT_EQ(float_to_half(1.0f + 3 * 0x1p-11f), 0x3c02);
  EXPECT_EQ(half_to_float(0x0001), 0x1p-24f);
  EXPECT_EQ(half_to_float(0x7bff), 65504.0f);
  EXPECT_EQ(half_to_float(0xfc00), -std::numeric_limits<float>::infinity());
}

TEST(Fp16, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h < 65536; ++h) {
    const float f = half_to_float(static_cast<uint16_t>(h));
    ASSERT_EQ(std::bit_cast<uint32_t>(half_to_float_slow(static_cast<uint16_t>(h))),
              std::bit_cast<uint32_t>(f));
    if (std::isnan(f)) continue;
    ASSERT_EQ(float_to_half(f), h) << "half " << h;
  }
}

#ifdef __FLT16_MAX__
// The compiler's own (soft-float, correctly rounded) conversion as an oracle.
TEST(Fp16, MatchesCompilerFloat16OnRandomFloats) {
  std::mt19937 rng(7);
  for (int i = 0; i < 1000000; ++i) {
    // Half the draws anywhere, half with exponents around the fp16 range.
    uint32_t bits = static_cast<uint32_t>(rng());
    if (i % 2) bits = (bits & 0x807fffffu) | ((100u + bits % 46u) << 23);
    const float f = std::bit_cast<float>(bits);
    if (std::isnan(f)) continue;
    const auto want = std::bit_cast<uint16_t>(static_cast<_Float16>(f));
    ASSERT_EQ(float_to_half(f), want) << "float bits " << std::hex << bits;
  }
}
#endif

}  // namespace
}  // namespace infer::npu_sim
