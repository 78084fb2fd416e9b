// The vectors of one NCHWc block (b floats) and the per-ISA dispatch of the blocked kernels:
// each kernel body is an always-inline template instantiated inside functions compiled for
// AVX-512 (b = 16) or AVX2+FMA (b = 8), with a baseline copy for machines without them. The
// vector types, loads, stores and ISA checks are those of kernels/simd_dispatch.h.
#ifndef INFER_PLUGINS_CPU_KERNELS_NCHWC_SIMD_H_
#define INFER_PLUGINS_CPU_KERNELS_NCHWC_SIMD_H_

#include <cstdint>

#include "kernels/simd_dispatch.h"

namespace infer::cpu::nchwc_simd {

#define INFER_NCHWC_INLINE INFER_SIMD_INLINE

template <int B>
using Vec = simd::VecF<B>;
using simd::Isa;
using simd::load;
using simd::store;

// Which compiled copy of a kernel to run for block size b on this CPU.
inline Isa isa_for_block(int64_t block) {
  if (block == 16 && simd::isa_supported(Isa::kAvx512)) return Isa::kAvx512;
  if (block == 8 && simd::isa_supported(Isa::kAvx2)) return Isa::kAvx2;
  return Isa::kBaseline;
}

#if defined(__x86_64__) || defined(__i386__)
#define INFER_NCHWC_TARGET_AVX512 INFER_SIMD_TARGET_AVX512
#define INFER_NCHWC_TARGET_AVX2 INFER_SIMD_TARGET_AVX2
#define INFER_NCHWC_HAS_TARGETS 1
#else
#define INFER_NCHWC_HAS_TARGETS 0
#endif

}  // namespace infer::cpu::nchwc_simd

#endif  // INFER_PLUGINS_CPU_KERNELS_NCHWC_SIMD_H_
