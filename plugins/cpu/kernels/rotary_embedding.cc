#include "kernels/rotary_embedding.h"

#include <algorithm>
#include <cmath>

namespace infer::cpu {

RotaryPlan plan_rotary(const RotaryParams& params, ShapeSpan x, ShapeSpan cos_cache,
                       ShapeSpan sin_cache, std::optional<ShapeSpan> position_ids) {
  RotaryPlan p;
  if (x.size() == 3) {
    p.rank3 = true;
    if (params.num_heads <= 0) fail_input("a 3-D input needs the attribute num_heads");
    if (x[2] % params.num_heads) {
      fail_input(str_cat("hidden size of ", shape_str(x), " is not divisible by num_heads ",
                         params.num_heads));
    }
    p.batch = x[0];
    p.seq = x[1];
    p.heads = params.num_heads;
    p.head_size = x[2] / params.num_heads;
  } else if (x.size() == 4) {
    p.batch = x[0];
    p.heads = x[1];
    p.seq = x[2];
    p.head_size = x[3];
  } else {
    fail_input(str_cat("input must be 3-D or 4-D, got ", shape_str(x)));
  }
  p.rotary_dim = params.rotary_dim > 0 ? params.rotary_dim : p.head_size;
  if (p.rotary_dim % 2 || p.rotary_dim > p.head_size) {
    fail_input(str_cat("rotary dimension ", p.rotary_dim,
                       " must be even and at most the head size ", p.head_size));
  }
  if (!std::equal(cos_cache.begin(), cos_cache.end(), sin_cache.begin(), sin_cache.end())) {
    fail_input(str_cat("cos_cache ", shape_str(cos_cache), " and sin_cache ", shape_str(sin_cache),
                       " differ"));
  }
  const int64_t half = p.rotary_dim / 2;
  if (position_ids) {
    p.has_position_ids = true;
    const ShapeSpan ids = *position_ids;
    if (ids.size() != 2 || ids[0] != p.batch || ids[1] != p.seq) {
      fail_input(str_cat("position_ids must be [batch, seq] = [", p.batch, ",", p.seq, "], got ",
                         shape_str(ids)));
    }
    if (cos_cache.size() != 2 || cos_cache[1] != half) {
      fail_input(str_cat("with position_ids the caches must be [max_position, ", half, "], got ",
                         shape_str(cos_cache)));
    }
    p.max_position = cos_cache[0];
  } else {
    const Shape want{p.batch, p.seq, half};
    if (!std::equal(cos_cache.begin(), cos_cache.end(), want.begin(), want.end())) {
      fail_input(str_cat("without position_ids the caches must be ", shape_str(want), ", got ",
                         shape_str(cos_cache)));
    }
  }
  return p;
}

template <typename T>
void rotary_embedding(const RotaryParams& params, const RotaryPlan& p, const T* x,
                      const T* cos_cache, const T* sin_cache, const int64_t* position_ids, T* y,
                      Precision prec) {
  const int64_t half = p.rotary_dim / 2, D = p.head_size;
  if (position_ids) {
    for (int64_t i = 0; i < p.batch * p.seq; ++i) {
      if (position_ids[i] < 0 || position_ids[i] >= p.max_position) {
        fail_input(str_cat("position id ", position_ids[i], " is outside the caches' ",
                           p.max_position, " positions"));
      }
    }
  }
  for (int64_t b = 0; b < p.batch; ++b) {
    for (int64_t s = 0; s < p.seq; ++s) {
      const int64_t row = position_ids ? position_ids[b * p.seq + s] : b * p.seq + s;
      const T* c = cos_cache + row * half;
      const T* sn = sin_cache + row * half;
      for (int64_t h = 0; h < p.heads; ++h) {
        const int64_t off =
            p.rank3 ? ((b * p.seq + s) * p.heads + h) * D : ((b * p.heads + h) * p.seq + s) * D;
        const T* xi = x + off;
        T* yi = y + off;
        for (int64_t k = 0; k < half; ++k) {
          // The pair is (k, k + half), or (2k, 2k + 1) when interleaved.
          const int64_t i1 = params.interleaved ? 2 * k : k;
          const int64_t i2 = params.interleaved ? 2 * k + 1 : k + half;
          const T x1 = xi[i1], x2 = xi[i2];
          yi[i1] = round_to(prec, round_to(prec, c[k] * x1) - round_to(prec, sn[k] * x2));
          yi[i2] = round_to(prec, round_to(prec, sn[k] * x1) + round_to(prec, c[k] * x2));
        }
        std::copy(xi + p.rotary_dim, xi + D, yi + p.rotary_dim);
      }
    }
  }
}

template <typename T>
void swiglu(const T* a, const T* b, int64_t n, float alpha, T* y, Precision prec) {
  const T al = static_cast<T>(alpha);
  for (int64_t i = 0; i < n; ++i) {
    const T e = round_to(prec, std::exp(round_to(prec, -al * a[i])));
    const T sig = round_to(prec, T(1) / round_to(prec, T(1) + e));
    y[i] = round_to(prec, round_to(prec, a[i] * sig) * b[i]);
  }
}

template void rotary_embedding<float>(const RotaryParams&, const RotaryPlan&, const float*,
                                      const float*, const float*, const int64_t*, float*,
                                      Precision);
template void rotary_embedding<double>(const RotaryParams&, const RotaryPlan&, const double*,
                                       const double*, const double*, const int64_t*, double*,
                                       Precision);
template void swiglu<float>(const float*, const float*, int64_t, float, float*, Precision);
template void swiglu<double>(const double*, const double*, int64_t, float, double*, Precision);

}  // namespace infer::cpu
