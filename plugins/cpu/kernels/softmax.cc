#include "kernels/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels/vector_math.h"

namespace infer::cpu {

SoftmaxDims softmax_dims(ShapeSpan shape, int64_t axis, bool coerce_2d) {
  if (shape.empty()) fail_input("input must have rank >= 1");
  const size_t a = normalize_axis(axis, shape.size());
  SoftmaxDims d;
  d.outer = dims_product(shape, 0, a);
  if (coerce_2d) {
    d.axis_len = dims_product(shape, a, shape.size());
    d.inner = 1;
  } else {
    d.axis_len = shape[a];
    d.inner = dims_product(shape, a + 1, shape.size());
  }
  return d;
}

template <typename T>
void softmax_kind(SoftmaxKind kind, const T* x, T* y, const SoftmaxDims& dims) {
  using C = compute_t<T>;
  const int64_t len = dims.axis_len, inner = dims.inner;
  if constexpr (std::is_same_v<T, float>) {
    // Contiguous rows (the last axis): vectorised and split over the intra-op pool.
    if (inner == 1 && kind != SoftmaxKind::kHardmax) {
      vmath::softmax_rows(simd::best_isa(), kind == SoftmaxKind::kLogSoftmax, x, y, dims.outer,
                          len);
      return;
    }
  }
  std::vector<C> row(static_cast<size_t>(len));
  for (int64_t o = 0; o < dims.outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* src = x + o * len * inner + i;
      T* dst = y + o * len * inner + i;
      for (int64_t j = 0; j < len; ++j) row[static_cast<size_t>(j)] = load(src[j * inner]);
      // Subtracting the maximum keeps exp() from overflowing.
      C max = -std::numeric_limits<C>::infinity();
      int64_t argmax = 0;
      for (int64_t j = 0; j < len; ++j) {
        if (row[static_cast<size_t>(j)] > max) {
          max = row[static_cast<size_t>(j)];
          argmax = j;
        }
      }
      if (kind == SoftmaxKind::kHardmax) {
        for (int64_t j = 0; j < len; ++j) dst[j * inner] = store<T>(j == argmax ? C{1} : C{0});
        continue;
      }
      C sum = 0;
      for (C& v : row) {
        v = std::exp(v - max);
        sum += v;
      }
      if (kind == SoftmaxKind::kLogSoftmax) {
        const C log_sum = std::log(sum);
        for (int64_t j = 0; j < len; ++j) {
          dst[j * inner] = store<T>(load(src[j * inner]) - max - log_sum);
        }
      } else {
        const C scale = C{1} / sum;
        for (int64_t j = 0; j < len; ++j) {
          dst[j * inner] = store<T>(row[static_cast<size_t>(j)] * scale);
        }
      }
    }
  }
}

template void softmax_kind<float>(SoftmaxKind, const float*, float*, const SoftmaxDims&);
template void softmax_kind<double>(SoftmaxKind, const double*, double*, const SoftmaxDims&);
template void softmax_kind<Float16>(SoftmaxKind, const Float16*, Float16*, const SoftmaxDims&);
template void softmax_kind<BFloat16>(SoftmaxKind, const BFloat16*, BFloat16*, const SoftmaxDims&);

}  // namespace infer::cpu
