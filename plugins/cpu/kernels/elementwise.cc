#include "kernels/elementwise.h"

#include <cmath>
#include <type_traits>

namespace infer::cpu {

void relu(const float* x, float* y, int64_t n) {
  // `x < 0 ? 0 : x` rather than std::max so that NaN propagates.
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

namespace {

// Signed overflow is UB in C++ but wraps in ONNX runtimes: compute integers as unsigned.
template <typename T>
T add_values(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}

template <typename T>
T mul_values(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
  } else {
    return a * b;
  }
}

template <typename T, typename Op>
void binary_apply(Op op, const T* a, ShapeSpan a_shape, const T* b, ShapeSpan b_shape, T* out,
                  ShapeSpan out_shape) {
  const Shape sa = broadcast_strides(a_shape, out_shape);
  const Shape sb = broadcast_strides(b_shape, out_shape);
  for_each_broadcast_run(
      out_shape, sa, sb,
      [&](int64_t o, int64_t ia, int64_t ib, int64_t n, int64_t step_a, int64_t step_b) {
        T* y = out + o;
        const T* pa = a + ia;
        const T* pb = b + ib;
        // The common cases get their own loops so that they vectorise.
        if (step_a == 1 && step_b == 1) {
          for (int64_t j = 0; j < n; ++j) y[j] = op(pa[j], pb[j]);
        } else if (step_a == 1 && step_b == 0) {
          const T vb = *pb;
          for (int64_t j = 0; j < n; ++j) y[j] = op(pa[j], vb);
        } else if (step_a == 0 && step_b == 1) {
          const T va = *pa;
          for (int64_t j = 0; j < n; ++j) y[j] = op(va, pb[j]);
        } else {
          for (int64_t j = 0; j < n; ++j) {
            y[j] = op(pa[j * step_a], pb[j * step_b]);
          }
        }
      });
}

}  // namespace

template <typename T>
void binary_broadcast(BinaryOp op, const T* a, ShapeSpan a_shape, const T* b, ShapeSpan b_shape,
                      T* out, ShapeSpan out_shape) {
  switch (op) {
    case BinaryOp::kAdd:
      return binary_apply(add_values<T>, a, a_shape, b, b_shape, out, out_shape);
    case BinaryOp::kMul:
      return binary_apply(mul_values<T>, a, a_shape, b, b_shape, out, out_shape);
  }
}

template void binary_broadcast<float>(BinaryOp, const float*, ShapeSpan, const float*, ShapeSpan,
                                      float*, ShapeSpan);
template void binary_broadcast<int64_t>(BinaryOp, const int64_t*, ShapeSpan, const int64_t*,
                                        ShapeSpan, int64_t*, ShapeSpan);

void broadcast_copy(const float* in, ShapeSpan in_shape, float* out, ShapeSpan out_shape) {
  const Shape s = broadcast_strides(in_shape, out_shape);
  for_each_broadcast_run(out_shape, s, s,
                         [&](int64_t o, int64_t i, int64_t, int64_t n, int64_t step, int64_t) {
                           for (int64_t j = 0; j < n; ++j) out[o + j] = in[i + j * step];
                         });
}

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
