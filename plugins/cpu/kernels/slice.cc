#include "kernels/slice.h"

#include <algorithm>

#include "kernels/movement.h"

namespace infer::cpu {

SlicePlan plan_slice(ShapeSpan in, ShapeSpan starts, ShapeSpan ends,
                     const std::optional<Shape>& axes, const std::optional<Shape>& steps) {
  const size_t n = starts.size();
  if (ends.size() != n || (axes && axes->size() != n) || (steps && steps->size() != n)) {
    fail_input(str_cat("starts, ends, axes and steps must have the same length, got ", n, ", ",
                       ends.size(), ", ", axes ? axes->size() : n, ", ",
                       steps ? steps->size() : n));
  }
  const size_t rank = in.size();
  const Shape in_strides = dense_strides(in);
  SlicePlan p{Shape(in.begin(), in.end()), 0, in_strides};
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < n; ++i) {
    const size_t a = axes ? normalize_axis((*axes)[i], rank) : normalize_axis(int64_t(i), rank);
    if (seen[a]) fail_input(str_cat("axis ", a, " is sliced twice"));
    seen[a] = true;
    const int64_t dim = in[a];
    const int64_t step = steps ? (*steps)[i] : 1;
    if (step == 0) fail_input(str_cat("step for axis ", a, " is 0"));
    // Negative starts/ends count from the back; then both clamp to the valid range for the
    // direction (ends may reach one before the first element when stepping backwards).
    int64_t start = starts[i], end = ends[i];
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    int64_t count = 0;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      count = end > start ? (end - start - 1) / step + 1 : 0;
    } else if (dim > 0) {
      // As the spec (and onnxruntime): a start before the first element clamps to it.
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      const int64_t stride = step == INT64_MIN ? INT64_MAX : -step;  // |INT64_MIN| overflows
      count = start > end ? (start - end - 1) / stride + 1 : 0;
    }
    p.out_shape[a] = count;
    if (count > 0) p.offset += start * in_strides[a];
    // With one element the stride is never applied (and step may be huge).
    p.src_strides[a] = count > 1 ? in_strides[a] * step : 0;
  }
  return p;
}

void slice(const void* in, const SlicePlan& plan, void* out, size_t elem_size) {
  if (numel(plan.out_shape) == 0) return;
  strided_copy(static_cast<const std::byte*>(in) + plan.offset * static_cast<int64_t>(elem_size),
               plan.src_strides, out, dense_strides(plan.out_shape), plan.out_shape, elem_size);
}

}  // namespace infer::cpu
