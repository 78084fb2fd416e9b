// Operators that create tensors from a few scalars: ConstantOfShape, Range, EyeLike, OneHot.
#ifndef INFER_PLUGINS_CPU_KERNELS_GENERATE_H_
#define INFER_PLUGINS_CPU_KERNELS_GENERATE_H_

#include "kernels/common.h"

namespace infer::cpu {

// Writes `count` copies of one element of elem_size bytes.
void fill_elements(const void* value, size_t elem_size, int64_t count, void* out);

// Range: element count of start, start + delta, ... up to limit (exclusive). Values are
// one element each of `dtype` (a numeric type); delta must be non-zero.
int64_t range_count(infer_dtype dtype, const void* start, const void* limit, const void* delta);
void range(infer_dtype dtype, const void* start, const void* delta, int64_t count, void* out);

// EyeLike: a 2-D `shape` tensor of `dtype` with ones on diagonal k, zeros elsewhere.
void eye_like(infer_dtype dtype, ShapeSpan shape, int64_t k, void* out);

// OneHot: indices (any numeric dtype, truncated to integers) get on_value at their position on
// the new axis of size depth, off_value elsewhere; indices outside [-depth, depth) give an
// all-off row, as ONNX specifies. values = [off, on] of elem_size bytes each.
Shape one_hot_shape(ShapeSpan indices, int64_t depth, int64_t axis);
void one_hot(const void* indices, infer_dtype index_dtype, ShapeSpan indices_shape, int64_t depth,
             int64_t axis, const void* values, size_t elem_size, void* out);

// Dropout in training mode: keep[i] = u_i >= ratio for u = numpy's legacy
// np.random.seed(seed); np.random.uniform(0, 1, n), which ONNX's tests are generated with.
void dropout_keep_mask(uint32_t seed, double ratio, int64_t n, bool* keep);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_GENERATE_H_
