// Operators that keep, drop or reorder elements by position or value: Trilu, NonZero,
// Compress and ReverseSequence.
#ifndef INFER_PLUGINS_CPU_KERNELS_SELECT_H_
#define INFER_PLUGINS_CPU_KERNELS_SELECT_H_

#include <optional>

#include "kernels/common.h"

namespace infer::cpu {

// Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last two
// dimensions and zeroes the rest (zero bytes are 0 for every dtype).
void trilu(const void* in, ShapeSpan shape, int64_t k, bool upper, void* out, size_t elem_size);

// NonZero: the coordinates of the non-zero elements as [rank, count] (a scalar counts as 1-D).
// Returns them dimension-major, ready to be the int64 output.
std::vector<int64_t> nonzero(infer_dtype dtype, const void* in, ShapeSpan shape, int64_t* count);

// Compress: slices along `axis` (or of the flattened input when nullopt) whose condition is
// true; the condition may be shorter than the axis, and may not select past its end.
Shape compress_shape(ShapeSpan in, const bool* condition, int64_t cond_len,
                     std::optional<int64_t> axis);
void compress(const void* in, ShapeSpan in_shape, const bool* condition, int64_t cond_len,
              std::optional<int64_t> axis, void* out, size_t elem_size);

// ReverseSequence: for every batch index b, reverses the first lens[b] steps along time_axis.
// time_axis and batch_axis are 0 or 1 and differ; each lens[b] is in [0, time steps].
void reverse_sequence(const void* in, ShapeSpan shape, const int64_t* lens, ShapeSpan lens_shape,
                      int64_t time_axis, int64_t batch_axis, void* out, size_t elem_size);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SELECT_H_
