// Integer arithmetic that wraps like the hardware instead of overflowing into undefined
// behaviour (signed overflow, or int promotion of 16-bit types); floats are unchanged.
#ifndef INFER_PLUGINS_CPU_KERNELS_WRAPPING_H_
#define INFER_PLUGINS_CPU_KERNELS_WRAPPING_H_

#include <cstdint>
#include <type_traits>

namespace infer::cpu {

template <typename C>
C wrapping_add(C a, C b) {
  if constexpr (std::is_same_v<C, bool>) {
    return a || b;
  } else if constexpr (std::is_integral_v<C>) {
    return static_cast<C>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  } else {
    return a + b;
  }
}

template <typename C>
C wrapping_mul(C a, C b) {
  if constexpr (std::is_same_v<C, bool>) {
    return a && b;
  } else if constexpr (std::is_integral_v<C>) {
    return static_cast<C>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  } else {
    return a * b;
  }
}

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_WRAPPING_H_
