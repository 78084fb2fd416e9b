#include "kernels/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

void softmax(const float* x, float* y, const SoftmaxDims& dims) {
  const int64_t len = dims.axis_len, inner = dims.inner;
  for (int64_t o = 0; o < dims.outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const float* src = x + o * len * inner + i;
      float* dst = y + o * len * inner + i;
      // Subtracting the maximum keeps exp() from overflowing.
      float max = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < len; ++j) max = std::max(max, src[j * inner]);
      float sum = 0.0f;
      for (int64_t j = 0; j < len; ++j) {
        dst[j * inner] = std::exp(src[j * inner] - max);
        sum += dst[j * inner];
      }
      const float scale = 1.0f / sum;
      for (int64_t j = 0; j < len; ++j) dst[j * inner] *= scale;
    }
  }
}

}  // namespace infer::cpu
