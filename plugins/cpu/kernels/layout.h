// Operators that only move data: Flatten, Reshape (shape computations) and Concat.
#ifndef INFER_PLUGINS_CPU_KERNELS_LAYOUT_H_
#define INFER_PLUGINS_CPU_KERNELS_LAYOUT_H_

#include "kernels/common.h"

namespace infer::cpu {

// [d0..d(axis-1)] x [d(axis)..] -> 2-D; axis in [-rank, rank].
Shape flatten_shape(ShapeSpan in, int64_t axis);

// ONNX Reshape target shape: 0 copies the input dimension (unless allowzero, where it means
// 0), one -1 is inferred; the element count must be preserved.
Shape reshape_shape(ShapeSpan in, std::span<const int64_t> requested, bool allowzero);

// Output shape of concatenating `inputs` along `axis` (negative counts from the end).
Shape concat_shape(std::span<const ShapeSpan> inputs, int64_t axis);
// Byte-wise concatenation of dense tensors with elements of elem_size bytes; shapes must have
// passed concat_shape.
void concat(std::span<const void* const> inputs, std::span<const ShapeSpan> shapes, int64_t axis,
            size_t elem_size, void* out);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_LAYOUT_H_
