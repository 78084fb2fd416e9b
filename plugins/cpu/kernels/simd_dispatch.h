// Runtime ISA dispatch for the vectorised elementwise / row kernels (kernels/vector_math.cc).
// The build targets baseline x86-64, so each kernel is one always-inline template over the
// vector width W, instantiated three times: inside a function compiled for AVX-512F (W = 16),
// one for AVX2+FMA (W = 8) and a baseline copy (W = 4, SSE2). The ISA is chosen once per call
// from what the CPU supports, or forced by tests.
//
// Vectors are GCC/Clang vector extensions and only cross always-inline helpers, never a real
// call, so the ABI warning about them (-Wpsabi) does not apply; users silence it.
#ifndef INFER_PLUGINS_CPU_KERNELS_SIMD_DISPATCH_H_
#define INFER_PLUGINS_CPU_KERNELS_SIMD_DISPATCH_H_

#include <cstdint>
#include <cstring>

namespace infer::cpu::simd {

#define INFER_SIMD_INLINE [[gnu::always_inline]] inline

enum class Isa { kBaseline, kAvx2, kAvx512 };

inline bool isa_supported(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  switch (isa) {
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f");
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::kBaseline:
      return true;
  }
  return false;
#else
  return isa == Isa::kBaseline;
#endif
}

// The widest compiled ISA this CPU runs, computed once.
inline Isa best_isa() {
  static const Isa best = isa_supported(Isa::kAvx512) ? Isa::kAvx512
                          : isa_supported(Isa::kAvx2) ? Isa::kAvx2
                                                      : Isa::kBaseline;
  return best;
}

#if defined(__x86_64__) || defined(__i386__)
#define INFER_SIMD_TARGET_AVX512 [[gnu::target("avx512f")]]
#define INFER_SIMD_TARGET_AVX2 [[gnu::target("avx2,fma")]]
#else
#define INFER_SIMD_TARGET_AVX512
#define INFER_SIMD_TARGET_AVX2
#endif

template <int W>
struct VecTypes {
  typedef float f32 __attribute__((vector_size(W * 4)));
  typedef int32_t i32 __attribute__((vector_size(W * 4)));
  typedef double f64 __attribute__((vector_size(W * 8)));
};
template <int W>
using VecF = typename VecTypes<W>::f32;
template <int W>
using VecI = typename VecTypes<W>::i32;
template <int W>
using VecD = typename VecTypes<W>::f64;

template <int W>
INFER_SIMD_INLINE VecF<W> splat(float c) {
  return VecF<W>{} + c;
}
template <int W>
INFER_SIMD_INLINE VecF<W> load(const float* p) {
  VecF<W> v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
template <int W>
INFER_SIMD_INLINE void store(float* p, VecF<W> v) {
  std::memcpy(p, &v, sizeof(v));
}
// The first n < W lanes from p, the others `fill`: tails run through the vector code so that
// they round exactly like the body.
template <int W>
INFER_SIMD_INLINE VecF<W> load_partial(const float* p, int64_t n, float fill) {
  VecF<W> v = splat<W>(fill);
  std::memcpy(&v, p, static_cast<size_t>(n) * sizeof(float));
  return v;
}
template <int W>
INFER_SIMD_INLINE void store_partial(float* p, VecF<W> v, int64_t n) {
  std::memcpy(p, &v, static_cast<size_t>(n) * sizeof(float));
}

// Bit casts between the float and int lanes.
template <int W>
INFER_SIMD_INLINE VecI<W> as_int(VecF<W> v) {
  return (VecI<W>)v;  // NOLINT: GCC's same-size vector cast is a bit cast
}
template <int W>
INFER_SIMD_INLINE VecF<W> as_float(VecI<W> v) {
  return (VecF<W>)v;  // NOLINT
}

// x clamped to [lo, hi] lane by lane; a NaN is kept (the comparisons are false for it).
template <int W>
INFER_SIMD_INLINE VecF<W> clamp_keep_nan(VecF<W> x, float lo, float hi) {
  x = x < lo ? splat<W>(lo) : x;
  return x > hi ? splat<W>(hi) : x;
}

template <int W>
INFER_SIMD_INLINE float reduce_add(VecF<W> v) {
  float s = 0;
  for (int i = 0; i < W; ++i) s += v[i];
  return s;
}
template <int W>
INFER_SIMD_INLINE double reduce_add(VecD<W> v) {
  double s = 0;
  for (int i = 0; i < W; ++i) s += v[i];
  return s;
}
template <int W>
INFER_SIMD_INLINE float reduce_max(VecF<W> v) {
  float m = v[0];
  for (int i = 1; i < W; ++i) m = v[i] > m ? v[i] : m;
  return m;
}

// Runs K::template run<W>(args, begin, end) compiled for the given ISA. K::run must be
// always-inline and must not create lambdas (they would not inherit the target).
template <typename K>
INFER_SIMD_TARGET_AVX512 void run_avx512(const typename K::Args& a, int64_t begin, int64_t end) {
  K::template run<16>(a, begin, end);
}
template <typename K>
INFER_SIMD_TARGET_AVX2 void run_avx2(const typename K::Args& a, int64_t begin, int64_t end) {
  K::template run<8>(a, begin, end);
}
template <typename K>
void run_baseline(const typename K::Args& a, int64_t begin, int64_t end) {
  K::template run<4>(a, begin, end);
}

template <typename K>
using RangeFn = void (*)(const typename K::Args&, int64_t, int64_t);

// The compiled copy of K for `isa` (the baseline one for an ISA the CPU lacks).
template <typename K>
RangeFn<K> select(Isa isa) {
  if (!isa_supported(isa)) isa = Isa::kBaseline;
  switch (isa) {
    case Isa::kAvx512:
      return &run_avx512<K>;
    case Isa::kAvx2:
      return &run_avx2<K>;
    case Isa::kBaseline:
      break;
  }
  return &run_baseline<K>;
}

}  // namespace infer::cpu::simd

#endif  // INFER_PLUGINS_CPU_KERNELS_SIMD_DISPATCH_H_
