// Vectors only cross always-inline helpers (see simd_dispatch.h).
#pragma GCC diagnostic ignored "-Wpsabi"
#include "kernels/vector_math.h"

#include <cmath>
#include <cstdint>

#include "kernels/parallel.h"

namespace infer::cpu::vmath {
namespace {

using simd::splat;
using simd::VecD;
using simd::VecF;
using simd::VecI;

// Elements per parallel task: enough that each is worth ~10 us. Transcendental activations
// cost several times a plain pass, so they split finer.
constexpr int64_t kCheapGrain = 32768;
constexpr int64_t kMathGrain = 8192;

// exp(x), Cephes expf: x = n ln2 + r with |r| <= ln2 / 2, a degree-6 polynomial for exp(r)
// (~1 ulp), then 2^n applied as two factors so that the overflow to inf and the gradual
// underflow to denormals and 0 come out right. NaN stays NaN.
template <int W>
INFER_SIMD_INLINE VecF<W> vexp(VecF<W> x) {
  x = simd::clamp_keep_nan<W>(x, -104.0f, 88.8f);
  // Round x / ln2 to nearest by adding 1.5 * 2^23: the integer lands in the low mantissa bits.
  constexpr float kMagic = 12582912.0f;
  const VecF<W> t = x * 1.44269504088896341f + kMagic;
  const VecI<W> n = simd::as_int<W>(t) - simd::as_int<W>(splat<W>(kMagic));
  const VecF<W> nf = t - kMagic;
  VecF<W> r = x - nf * 0.693359375f;
  r = r - nf * -2.12194440e-4f;
  VecF<W> p = splat<W>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const VecI<W> n1 = n >> 1, n2 = n - n1;
  return p * simd::as_float<W>((n1 + 127) << 23) * simd::as_float<W>((n2 + 127) << 23);
}

template <int W>
INFER_SIMD_INLINE VecF<W> copy_sign(VecF<W> magnitude, VecF<W> sign) {
  const VecI<W> s = simd::as_int<W>(sign) & INT32_MIN;
  return simd::as_float<W>((simd::as_int<W>(magnitude) & 0x7fffffff) | s);
}

template <int W>
INFER_SIMD_INLINE VecF<W> vabs(VecF<W> x) {
  return simd::as_float<W>(simd::as_int<W>(x) & 0x7fffffff);
}

// erf(x), the faithfully rounded erff of N. Juffa as in MLAS's MlasErfKernel: an odd
// polynomial below 0.921875, 1 - exp(-poly(|x|)) above, 1 beyond 3.925.
template <int W>
INFER_SIMD_INLINE VecF<W> verf(VecF<W> x) {
  VecF<W> a = vabs<W>(x);
  a = a > 3.925f ? splat<W>(3.925f) : a;  // NaN kept
  const VecF<W> s = a * a;
  VecF<W> small = splat<W>(-5.99104969e-4f);
  small = small * s + 4.99339588e-3f;
  small = small * s + -2.67667342e-2f;
  small = small * s + 1.12818025e-1f;
  small = small * s + -3.76124859e-1f;
  small = small * s + 1.28379151e-1f;
  small = small * a + a;
  VecF<W> big = splat<W>(1.72948930e-5f);
  big = big * a + -3.83208680e-4f;
  big = big * a + 3.88393435e-3f;
  big = big * a + -2.42545605e-2f;
  big = big * a + 1.06777847e-1f;
  big = big * a + 6.34846687e-1f;
  big = big * a + 1.28717512e-1f;
  big = big * a + a;
  big = 1.0f - vexp<W>(-big);
  return copy_sign<W>(a <= 0.921875f ? small : big, x);
}

// tanh(x), Cephes tanhf: an odd polynomial below 0.625 (no cancellation near 0), else
// 1 - 2 / (exp(2|x|) + 1), which saturates to 1 through exp's inf.
template <int W>
INFER_SIMD_INLINE VecF<W> vtanh(VecF<W> x) {
  const VecF<W> a = vabs<W>(x);
  const VecF<W> z = x * x;
  VecF<W> small = splat<W>(-5.70498872745e-3f);
  small = small * z + 2.06390887954e-2f;
  small = small * z + -5.37397155531e-2f;
  small = small * z + 1.33314422036e-1f;
  small = small * z + -3.33332819422e-1f;
  small = small * z * x + x;
  const VecF<W> big = copy_sign<W>(1.0f - 2.0f / (vexp<W>(a + a) + 1.0f), x);
  return a >= 0.625f ? big : small;
}

// The activations on vectors, as fn:: in unary_math.h does on scalars.
struct VIdentity {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return x;
  }
};
struct VRelu {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return x < 0.0f ? splat<W>(0.0f) : x;
  }
};
struct VClip {
  float lo, hi;
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return simd::clamp_keep_nan<W>(x, lo, hi);
  }
};
struct VSigmoid {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return 1.0f / (1.0f + vexp<W>(-x));
  }
};
struct VTanh {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return vtanh<W>(x);
  }
};
struct VLeakyRelu {
  float alpha;
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return x > 0.0f ? x : x * alpha;
  }
};
struct VHardSigmoid {
  float alpha, beta;
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return simd::clamp_keep_nan<W>(x * alpha + beta, 0.0f, 1.0f);
  }
};
struct VGelu {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return 0.5f * x * (1.0f + verf<W>(x * 0.70710678118654752440f));
  }
};
struct VHardSwish {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return x * simd::clamp_keep_nan<W>(x / 6.0f + 0.5f, 0.0f, 1.0f);
  }
};
struct VSilu {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return x * VSigmoid{}.template operator()<W>(x);
  }
};
struct VErf {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return verf<W>(x);
  }
};
struct VExp {
  template <int W>
  INFER_SIMD_INLINE VecF<W> operator()(VecF<W> x) const {
    return vexp<W>(x);
  }
};

// y[i] = f(x[i] + b + bv[i] + z[i]) for i < n (bv and z may be null); the tail goes through
// the same vector code, padded.
template <int W, typename F>
INFER_SIMD_INLINE void map_row(F f, const float* x, float* y, int64_t n, float b, const float* bv,
                               const float* z) {
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    VecF<W> v = simd::load<W>(x + i) + b;
    if (bv) v += simd::load<W>(bv + i);
    if (z) v += simd::load<W>(z + i);
    simd::store<W>(y + i, f.template operator()<W>(v));
  }
  if (i < n) {
    VecF<W> v = simd::load_partial<W>(x + i, n - i, 0.0f) + b;
    if (bv) v += simd::load_partial<W>(bv + i, n - i, 0.0f);
    if (z) v += simd::load_partial<W>(z + i, n - i, 0.0f);
    simd::store_partial<W>(y + i, f.template operator()<W>(v), n - i);
  }
}

// Calls Body::template apply<W>(f, ...) with the vector functor of the activation. A switch
// rather than a generic lambda: lambdas would not inherit the caller's target ISA.
template <int W, typename Body, typename... A>
INFER_SIMD_INLINE void with_activation(const FusedActivation& act, A... args) {
  switch (act.kind) {
    case FusedActivationKind::kNone:
      return Body::template apply<W>(VIdentity{}, args...);
    case FusedActivationKind::kRelu:
      return Body::template apply<W>(VRelu{}, args...);
    case FusedActivationKind::kClip:
      return Body::template apply<W>(VClip{act.alpha, act.beta}, args...);
    case FusedActivationKind::kSigmoid:
      return Body::template apply<W>(VSigmoid{}, args...);
    case FusedActivationKind::kTanh:
      return Body::template apply<W>(VTanh{}, args...);
    case FusedActivationKind::kLeakyRelu:
      return Body::template apply<W>(VLeakyRelu{act.alpha}, args...);
    case FusedActivationKind::kHardSigmoid:
      return Body::template apply<W>(VHardSigmoid{act.alpha, act.beta}, args...);
    case FusedActivationKind::kGelu:
      return Body::template apply<W>(VGelu{}, args...);
    case FusedActivationKind::kHardSwish:
      return Body::template apply<W>(VHardSwish{}, args...);
    case FusedActivationKind::kSilu:
      return Body::template apply<W>(VSilu{}, args...);
  }
}

struct ActivationKernel {
  struct Args {
    FusedActivation act;
    const float* x;
    float* y;
  };
  template <int W, typename F>
  INFER_SIMD_INLINE static void apply(F f, const float* x, float* y, int64_t n) {
    map_row<W>(f, x, y, n, 0.0f, nullptr, nullptr);
  }
  template <int W>
  INFER_SIMD_INLINE static void run(const Args& a, int64_t begin, int64_t end) {
    with_activation<W, ActivationKernel>(a.act, a.x + begin, a.y + begin, end - begin);
  }
};

// Rows [begin, end) of y viewed as [outer * channels, inner], or with inner == 1 (the MatMul
// and Gemm epilogues) rows [begin, end) of [outer, channels] with the bias along the row.
struct EpilogueKernel {
  struct Args {
    FusedActivation act;
    float* y;
    int64_t channels, inner;
    const float* bias;
    const float* z;
  };
  template <int W, typename F>
  INFER_SIMD_INLINE static void apply(F f, const Args* a, int64_t begin, int64_t end) {
    const int64_t len = a->inner == 1 ? a->channels : a->inner;
    for (int64_t r = begin; r < end; ++r) {
      float* yr = a->y + r * len;
      const float* zr = a->z ? a->z + r * len : nullptr;
      if (a->inner == 1) {
        map_row<W>(f, yr, yr, len, 0.0f, a->bias, zr);
      } else {
        map_row<W>(f, yr, yr, len, a->bias ? a->bias[r % a->channels] : 0.0f, nullptr, zr);
      }
    }
  }
  template <int W>
  INFER_SIMD_INLINE static void run(const Args& a, int64_t begin, int64_t end) {
    with_activation<W, EpilogueKernel>(a.act, &a, begin, end);
  }
};

template <typename F>
struct MapKernel {
  struct Args {
    const float* x;
    float* y;
  };
  template <int W>
  INFER_SIMD_INLINE static void run(const Args& a, int64_t begin, int64_t end) {
    map_row<W>(F{}, a.x + begin, a.y + begin, end - begin, 0.0f, nullptr, nullptr);
  }
};

struct SoftmaxKernel {
  struct Args {
    bool log;
    const float* x;
    float* y;
    int64_t len;
  };
  template <int W>
  INFER_SIMD_INLINE static void run(const Args& a, int64_t begin, int64_t end) {
    const int64_t len = a.len, body = len / W * W;
    const float ninf = -INFINITY;
    for (int64_t r = begin; r < end; ++r) {
      const float* x = a.x + r * len;
      float* y = a.y + r * len;
      // Subtracting the maximum keeps exp() from overflowing.
      VecF<W> m = splat<W>(ninf);
      for (int64_t j = 0; j < body; j += W) {
        const VecF<W> v = simd::load<W>(x + j);
        m = v > m ? v : m;
      }
      if (body < len) {
        const VecF<W> v = simd::load_partial<W>(x + body, len - body, ninf);
        m = v > m ? v : m;
      }
      const float max = simd::reduce_max<W>(m);
      VecF<W> sum{};
      for (int64_t j = 0; j < body; j += W) {
        const VecF<W> e = vexp<W>(simd::load<W>(x + j) - max);
        if (!a.log) simd::store<W>(y + j, e);
        sum += e;
      }
      if (body < len) {
        const VecF<W> e = vexp<W>(simd::load_partial<W>(x + body, len - body, ninf) - max);
        if (!a.log) simd::store_partial<W>(y + body, e, len - body);
        sum += e;
      }
      const float total = simd::reduce_add<W>(sum);
      if (a.log) {
        // (x - max) first: exact near the maximum, where the result is small.
        const float log_sum = std::log(total);
        for (int64_t j = 0; j < body; j += W) {
          simd::store<W>(y + j, (simd::load<W>(x + j) - max) - log_sum);
        }
        for (int64_t j = body; j < len; ++j) y[j] = (x[j] - max) - log_sum;
      } else {
        const float scale = 1.0f / total;
        for (int64_t j = 0; j < body; j += W) simd::store<W>(y + j, simd::load<W>(y + j) * scale);
        for (int64_t j = body; j < len; ++j) y[j] *= scale;
      }
    }
  }
};

struct LayerNormKernel {
  struct Args {
    bool rms;
    float epsilon;
    const float* x;
    const float* scale;
    const float* bias;
    float* y;
    float* mean;
    float* inv_std_dev;
    int64_t cols;
  };
  template <int W>
  INFER_SIMD_INLINE static void run(const Args& a, int64_t begin, int64_t end) {
    const int64_t cols = a.cols, body = cols / W * W;
    for (int64_t r = begin; r < end; ++r) {
      const float* x = a.x + r * cols;
      float* y = a.y + r * cols;
      // Two passes in double lanes, as the generic kernel: no cancellation in the variance.
      double mu = 0;
      if (!a.rms) {
        VecD<W> s{};
        for (int64_t c = 0; c < body; c += W) {
          s += __builtin_convertvector(simd::load<W>(x + c), VecD<W>);
        }
        mu = simd::reduce_add<W>(s);
        for (int64_t c = body; c < cols; ++c) mu += static_cast<double>(x[c]);
        mu /= static_cast<double>(cols);
      }
      VecD<W> s{};
      for (int64_t c = 0; c < body; c += W) {
        const VecD<W> d = __builtin_convertvector(simd::load<W>(x + c), VecD<W>) - mu;
        s += d * d;
      }
      double var = simd::reduce_add<W>(s);
      for (int64_t c = body; c < cols; ++c) {
        const double d = static_cast<double>(x[c]) - mu;
        var += d * d;
      }
      const double inv = 1.0 / std::sqrt(var / static_cast<double>(cols) + double{a.epsilon});
      if (a.mean) a.mean[r] = static_cast<float>(mu);
      if (a.inv_std_dev) a.inv_std_dev[r] = static_cast<float>(inv);
      const auto muf = static_cast<float>(mu), invf = static_cast<float>(inv);
      for (int64_t c = 0; c < body; c += W) {
        VecF<W> v = (simd::load<W>(x + c) - muf) * invf * simd::load<W>(a.scale + c);
        if (a.bias) v += simd::load<W>(a.bias + c);
        simd::store<W>(y + c, v);
      }
      if (body < cols) {
        const int64_t n = cols - body;
        VecF<W> v = (simd::load_partial<W>(x + body, n, 0.0f) - muf) * invf *
                    simd::load_partial<W>(a.scale + body, n, 0.0f);
        if (a.bias) v += simd::load_partial<W>(a.bias + body, n, 0.0f);
        simd::store_partial<W>(y + body, v, n);
      }
    }
  }
};

// Runs kernel K over [0, n) in parallel chunks of at least `grain`.
template <typename K>
void run_parallel(Isa isa, const typename K::Args& args, int64_t n, int64_t grain) {
  const simd::RangeFn<K> fn = simd::select<K>(isa);
  parallel_for(n, grain, [&](int64_t begin, int64_t end) { fn(args, begin, end); });
}

// Rows per task so that each task covers about `elements` elements.
int64_t row_grain(int64_t row_len, int64_t elements) {
  return row_len >= elements ? 1 : elements / (row_len > 0 ? row_len : 1);
}

bool is_cheap(FusedActivationKind k) {
  return k != FusedActivationKind::kSigmoid && k != FusedActivationKind::kTanh &&
         k != FusedActivationKind::kGelu && k != FusedActivationKind::kSilu;
}

}  // namespace

void activation(Isa isa, const FusedActivation& act, const float* x, float* y, int64_t n) {
  run_parallel<ActivationKernel>(isa, {act, x, y}, n,
                                 is_cheap(act.kind) ? kCheapGrain : kMathGrain);
}

void epilogue(Isa isa, const FusedActivation& act, float* y, int64_t outer, int64_t channels,
              int64_t inner, const float* bias, const float* z) {
  const int64_t elements = is_cheap(act.kind) ? kCheapGrain : kMathGrain;
  if (inner == 1) {
    run_parallel<EpilogueKernel>(isa, {act, y, channels, inner, bias, z}, outer,
                                 row_grain(channels, elements));
  } else {
    run_parallel<EpilogueKernel>(isa, {act, y, channels, inner, bias, z}, outer * channels,
                                 row_grain(inner, elements));
  }
}

void erf(Isa isa, const float* x, float* y, int64_t n) {
  run_parallel<MapKernel<VErf>>(isa, {x, y}, n, kMathGrain);
}

void exp(Isa isa, const float* x, float* y, int64_t n) {
  run_parallel<MapKernel<VExp>>(isa, {x, y}, n, kMathGrain);
}

void softmax_rows(Isa isa, bool log, const float* x, float* y, int64_t rows, int64_t len) {
  run_parallel<SoftmaxKernel>(isa, {log, x, y, len}, rows, row_grain(len, kMathGrain));
}

void layer_norm_rows(Isa isa, bool rms, float epsilon, const float* x, const float* scale,
                     const float* bias, float* y, float* mean, float* inv_std_dev, int64_t rows,
                     int64_t cols) {
  run_parallel<LayerNormKernel>(isa, {rms, epsilon, x, scale, bias, y, mean, inv_std_dev, cols},
                                rows, row_grain(cols, kCheapGrain / 2));
}

}  // namespace infer::cpu::vmath
