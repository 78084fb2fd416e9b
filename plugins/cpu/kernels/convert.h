// Conversions between element types with ONNX (numpy) semantics and no undefined behaviour.
#ifndef INFER_PLUGINS_CPU_KERNELS_CONVERT_H_
#define INFER_PLUGINS_CPU_KERNELS_CONVERT_H_

#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/dtype.h"

namespace infer::cpu {

// Floating point to integer: truncation toward zero, as C and numpy. Values out of range (and
// NaN) are UB in C++; they give what numpy's C casts give on x86: types narrower than 32 bits
// and int32 convert through int32, uint32 and int64 through int64, the low bits kept, and an
// out-of-range conversion yields the "indefinite" minimum of int32/int64.
template <typename T, typename F>
T float_to_int(F v) {
  static_assert(std::is_integral_v<T> && std::is_floating_point_v<F>);
  constexpr double kTwo63 = 9223372036854775808.0, kTwo31 = 2147483648.0;
  if constexpr (sizeof(T) < 4 || std::is_same_v<T, int32_t>) {
    if (!(v >= -kTwo31 && v < kTwo31)) return static_cast<T>(std::numeric_limits<int32_t>::min());
    return static_cast<T>(static_cast<int32_t>(v));
  } else {
    if constexpr (std::is_same_v<T, uint64_t>) {
      if (v >= kTwo63 && v < 2 * kTwo63) return static_cast<uint64_t>(v);
    }
    if (!(v >= -kTwo63 && v < kTwo63)) {
      return static_cast<T>(std::numeric_limits<int64_t>::min());
    }
    return static_cast<T>(static_cast<int64_t>(v));
  }
}

// A compute value (float, double, an integer or bool) to storage type To: integers wrap,
// floats round to nearest even, anything non-zero (NaN included) is true.
template <typename To, typename From>
To convert_to(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From{0};
  } else if constexpr (std::is_floating_point_v<compute_t<To>>) {
    return store<To>(static_cast<compute_t<To>>(v));
  } else if constexpr (std::is_floating_point_v<From>) {
    return float_to_int<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CONVERT_H_
