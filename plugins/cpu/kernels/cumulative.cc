#include "kernels/cumulative.h"

#include "kernels/wrapping.h"

namespace infer::cpu {

void cumulative(infer_dtype dtype, const void* in, ShapeSpan shape, int64_t axis,
                const CumulativeParams& p, void* out) {
  const size_t a = normalize_axis(axis, shape.size());
  const int64_t outer = dims_product(shape, 0, a), dim = shape[a];
  const int64_t inner = dims_product(shape, a + 1, shape.size());
  const bool ok = visit_dtype<kNumeric>(dtype, [&]<typename T>(T) {
    using C = compute_t<T>;
    const T* x = static_cast<const T*>(in);
    T* y = static_cast<T*>(out);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        C acc = p.product ? C(1) : C(0);
        for (int64_t s = 0; s < dim; ++s) {
          const int64_t j = p.reverse ? dim - 1 - s : s;
          const int64_t at = (o * dim + j) * inner + i;
          const C v = load(x[at]);
          if (!p.exclusive) acc = p.product ? wrapping_mul(acc, v) : wrapping_add(acc, v);
          y[at] = store<T>(acc);
          if (p.exclusive) acc = p.product ? wrapping_mul(acc, v) : wrapping_add(acc, v);
        }
      }
    }
  });
  if (!ok) fail_input(str_cat("type ", plugin::dtype_name(dtype), " is not supported"));
}

}  // namespace infer::cpu
