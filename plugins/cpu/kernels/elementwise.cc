#include "kernels/elementwise.h"

namespace infer::cpu {

Shape broadcast_all(std::span<const ShapeSpan> shapes) {
  Shape out;
  for (ShapeSpan s : shapes) out = broadcast_shapes(out, s);
  return out;
}

void broadcast_copy(const float* in, ShapeSpan in_shape, float* out, ShapeSpan out_shape) {
  const Shape s = broadcast_strides(in_shape, out_shape);
  for_each_broadcast_run(out_shape, s, s,
                         [&](int64_t o, int64_t i, int64_t, int64_t n, int64_t step, int64_t) {
                           for (int64_t j = 0; j < n; ++j) out[o + j] = in[i + j * step];
                         });
}

}  // namespace infer::cpu
