// Vectors of one NCHWc block (b floats) as GCC/Clang vector extensions, and the per-ISA
// dispatch of the blocked kernels. The build targets the baseline x86-64 ISA, so each kernel
// body is an always-inline template instantiated inside functions compiled for AVX-512
// (b = 16) or AVX2+FMA (b = 8), with a baseline copy for machines without them.
#ifndef INFER_PLUGINS_CPU_KERNELS_NCHWC_SIMD_H_
#define INFER_PLUGINS_CPU_KERNELS_NCHWC_SIMD_H_

#include <cstdint>
#include <cstring>

namespace infer::cpu::nchwc_simd {

#define INFER_NCHWC_INLINE [[gnu::always_inline]] inline

template <int B>
struct VecOf;
template <>
struct VecOf<8> {
  typedef float type __attribute__((vector_size(32)));
};
template <>
struct VecOf<16> {
  typedef float type __attribute__((vector_size(64)));
};
template <int B>
using Vec = typename VecOf<B>::type;

// Vectors only cross always-inline helpers, never a real call, so the warning that their
// calling convention differs without AVX (-Wpsabi) does not apply; users silence it.
template <int B>
INFER_NCHWC_INLINE Vec<B> load(const float* p) {
  Vec<B> v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
template <int B>
INFER_NCHWC_INLINE void store(float* p, Vec<B> v) {
  std::memcpy(p, &v, sizeof(v));
}

// Which compiled copy of a kernel to run for block size b on this CPU.
enum class Isa { kBaseline, kAvx2, kAvx512 };
inline Isa isa_for_block(int64_t block) {
#if defined(__x86_64__) || defined(__i386__)
  if (block == 16 && __builtin_cpu_supports("avx512f")) return Isa::kAvx512;
  if (block == 8 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return Isa::kAvx2;
  }
#else
  (void)block;
#endif
  return Isa::kBaseline;
}

#if defined(__x86_64__) || defined(__i386__)
#define INFER_NCHWC_TARGET_AVX512 [[gnu::target("avx512f")]]
#define INFER_NCHWC_TARGET_AVX2 [[gnu::target("avx2,fma")]]
#define INFER_NCHWC_HAS_TARGETS 1
#else
#define INFER_NCHWC_HAS_TARGETS 0
#endif

}  // namespace infer::cpu::nchwc_simd

#endif  // INFER_PLUGINS_CPU_KERNELS_NCHWC_SIMD_H_
