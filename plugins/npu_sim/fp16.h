// Exact IEEE 754 binary16 <-> binary32 conversion (round to nearest even, subnormals, inf,
// nan): the numeric format of the simulated NPU. Written out rather than taken from F16C so
// that the result is the same on every host.
#ifndef INFER_PLUGINS_NPU_SIM_FP16_H_
#define INFER_PLUGINS_NPU_SIM_FP16_H_

#include <bit>
#include <cstddef>
#include <cstdint>

namespace infer::npu_sim {

inline uint16_t float_to_half(float f) {
  uint32_t u = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (u >> 16) & 0x8000u;
  u &= 0x7fffffffu;
  if (u > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u | ((u >> 13) & 0x3ffu));
  if (u >= 0x47800000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 2^16: inf
  if (u < 0x38800000u) {
    // Below 2^-14: the result is subnormal (or zero). Adding 0.5 aligns the value so that the
    // FPU's own round-to-nearest-even drops exactly the bits a half cannot hold.
    const float aligned = std::bit_cast<float>(u) + 0.5f;
    return static_cast<uint16_t>(sign | (std::bit_cast<uint32_t>(aligned) - 0x3f000000u));
  }
  // Normal: rebias the exponent and round the 13 dropped bits to nearest even. A carry out
  // of the mantissa correctly bumps the exponent, up to inf for values >= 65520.
  const uint32_t odd = (u >> 13) & 1u;
  u += 0xc8000fffu + odd;  // (15 - 127) << 23, plus the rounding bias
  return static_cast<uint16_t>(sign | (u >> 13));
}

inline float half_to_float_slow(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  const uint32_t mant = h & 0x3ffu;
  if (exp == 0) {
    // Subnormal: mant * 2^-24, exact in float.
    const float mag = static_cast<float>(mant) * 0x1p-24f;
    return std::bit_cast<float>(sign | std::bit_cast<uint32_t>(mag));
  }
  if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));
  return std::bit_cast<float>(sign | ((exp + 112u) << 23) | (mant << 13));
}

// All 65536 halves as floats: the hot path of every compute command.
const float* half_table();

inline float half_to_float(uint16_t h) { return half_table()[h]; }

// Rounds a float to the nearest half, kept as a float.
inline float round_fp16(float f) { return half_to_float(float_to_half(f)); }

void halves_to_floats(const uint16_t* src, size_t n, float* dst);
void floats_to_halves(const float* src, size_t n, uint16_t* dst);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_FP16_H_
