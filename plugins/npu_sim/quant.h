// int8 arithmetic of the simulated NPU, shared by the network builder and the executor:
// integer ranges and ONNX's rounding (half to even) with saturation.
#ifndef INFER_PLUGINS_NPU_SIM_QUANT_H_
#define INFER_PLUGINS_NPU_SIM_QUANT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "network.h"

namespace infer::npu_sim {

inline std::pair<int32_t, int32_t> quant_range(Elem e) {
  return e == Elem::kI8 ? std::pair{-128, 127} : std::pair{0, 255};
}

// saturate(round_half_even(v) + zero_point) into e's range, as ONNX's QuantizeLinear and the
// QLinear ops' requantization; NaN maps to the zero point. std::nearbyint rounds half to even
// in the default rounding mode, as numpy's rint does.
inline int32_t quantize_round(double v, int32_t zero_point, Elem e) {
  const auto [lo, hi] = quant_range(e);
  if (std::isnan(v)) return std::clamp(zero_point, lo, hi);
  const double r = std::nearbyint(v) + static_cast<double>(zero_point);
  if (r <= static_cast<double>(lo)) return lo;
  if (r >= static_cast<double>(hi)) return hi;
  return static_cast<int32_t>(r);
}

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_QUANT_H_
