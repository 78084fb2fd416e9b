// TopK and Unique. Values compare numerically with NaN above everything (as numpy sorts) and
// ties broken by position, so results are deterministic.
#ifndef INFER_PLUGINS_CPU_KERNELS_SORTING_H_
#define INFER_PLUGINS_CPU_KERNELS_SORTING_H_

#include <optional>

#include "kernels/common.h"

namespace infer::cpu {

// TopK: the k largest (or smallest) elements along axis in order, equal values by index.
Shape top_k_shape(ShapeSpan in, int64_t axis, int64_t k);
void top_k(infer_dtype dtype, const void* in, ShapeSpan shape, int64_t axis, int64_t k,
           bool largest, void* values, int64_t* indices);

// Unique of the flattened input, or of its slices along `axis`.
struct UniqueResult {
  Shape y_shape;
  std::vector<int64_t> first;    // per unique entry: index of its first occurrence
  std::vector<int64_t> inverse;  // per input element (or slice): its unique entry
  std::vector<int64_t> counts;   // per unique entry: occurrences
};
// Sorted ascending (slices lexicographically) or, if !sorted, in order of first occurrence.
UniqueResult unique(infer_dtype dtype, const void* in, ShapeSpan shape, std::optional<int64_t> axis,
                    bool sorted);
// Writes Y: the slices listed in r.first, in that order.
void unique_gather(const void* in, ShapeSpan shape, std::optional<int64_t> axis,
                   const UniqueResult& r, void* y, size_t elem_size);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SORTING_H_
