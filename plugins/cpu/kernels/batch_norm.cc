#include "kernels/batch_norm.h"

#include <cmath>

namespace infer::cpu {

void check_batch_norm_shapes(ShapeSpan x, ShapeSpan scale, ShapeSpan bias, ShapeSpan mean,
                             ShapeSpan var) {
  if (x.size() < 2) fail_input(str_cat("input must have rank >= 2, got ", shape_str(x)));
  const ShapeSpan params[] = {scale, bias, mean, var};
  const char* names[] = {"scale", "B", "input_mean", "input_var"};
  for (size_t i = 0; i < 4; ++i) {
    if (params[i].size() != 1 || params[i][0] != x[1]) {
      fail_input(str_cat(names[i], " must have shape [", x[1], "] for input ", shape_str(x),
                         ", got ", shape_str(params[i])));
    }
  }
}

void batch_norm(const float* x, ShapeSpan x_shape, const float* scale, const float* bias,
                const float* mean, const float* var, float epsilon, float* y) {
  const int64_t n = x_shape[0], c = x_shape[1];
  const int64_t inner = dims_product(x_shape, 2, x_shape.size());
  for (int64_t ch = 0; ch < c; ++ch) {
    // Fold the normalisation into one multiply-add per element.
    const float k = scale[ch] / std::sqrt(var[ch] + epsilon);
    const float shift = bias[ch] - mean[ch] * k;
    for (int64_t b = 0; b < n; ++b) {
      const float* src = x + (b * c + ch) * inner;
      float* dst = y + (b * c + ch) * inner;
      for (int64_t i = 0; i < inner; ++i) dst[i] = src[i] * k + shift;
    }
  }
}

}  // namespace infer::cpu
