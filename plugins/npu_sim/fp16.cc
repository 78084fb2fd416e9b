#include "fp16.h"

#include <vector>

namespace infer::npu_sim {

const float* half_table() {
  static const std::vector<float> table = [] {
    std::vector<float> t(65536);
    for (uint32_t h = 0; h < 65536; ++h) t[h] = half_to_float_slow(static_cast<uint16_t>(h));
    return t;
  }();
  return table.data();
}

void halves_to_floats(const uint16_t* src, size_t n, float* dst) {
  const float* t = half_table();
  for (size_t i = 0; i < n; ++i) dst[i] = t[src[i]];
}

void floats_to_halves(const float* src, size_t n, uint16_t* dst) {
  for (size_t i = 0; i < n; ++i) dst[i] = float_to_half(src[i]);
}

}  // namespace infer::npu_sim
