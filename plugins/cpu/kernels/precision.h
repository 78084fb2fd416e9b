// Emulating arithmetic in a narrower float type: ONNX's numpy reference rounds the result of
// every elementwise step to the operators' type, which matters for float16 and bfloat16.
#ifndef INFER_PLUGINS_CPU_KERNELS_PRECISION_H_
#define INFER_PLUGINS_CPU_KERNELS_PRECISION_H_

#include "kernels/dtype.h"

namespace infer::cpu {

enum class Precision { kFloat32, kFloat16, kBFloat16, kFloat64 };

constexpr Precision precision_of(infer_dtype t) {
  switch (t) {
    case INFER_DTYPE_FLOAT16:
      return Precision::kFloat16;
    case INFER_DTYPE_BFLOAT16:
      return Precision::kBFloat16;
    case INFER_DTYPE_FLOAT64:
      return Precision::kFloat64;
    default:
      return Precision::kFloat32;
  }
}

// v rounded to the nearest value of precision p (round to nearest even).
template <typename T>
T round_to(Precision p, T v) {
  switch (p) {
    case Precision::kFloat16:
      return static_cast<T>(half_to_float(float_to_half(static_cast<float>(v))));
    case Precision::kBFloat16:
      return static_cast<T>(bfloat16_to_float(float_to_bfloat16(static_cast<float>(v))));
    case Precision::kFloat32:
      return static_cast<T>(static_cast<float>(v));
    case Precision::kFloat64:
      break;
  }
  return v;
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_PRECISION_H_
