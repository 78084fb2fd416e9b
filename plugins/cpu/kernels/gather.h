// Gather, GatherElements and GatherND on opaque elements of elem_size bytes. Index tensors are
// int32 or int64; negative indices count from the back of their axis and anything outside
// [-dim, dim) is an error (never an out-of-bounds read).
#ifndef INFER_PLUGINS_CPU_KERNELS_GATHER_H_
#define INFER_PLUGINS_CPU_KERNELS_GATHER_H_

#include "kernels/common.h"

namespace infer::cpu {

// count int32/int64 indices mapped into [0, dim); `what` names them in errors.
Shape normalize_indices(const void* indices, infer_dtype dtype, size_t count, int64_t dim,
                        const char* what);

// Gather along `axis`: data[:axis] + indices + data[axis+1:].
Shape gather_shape(ShapeSpan data, ShapeSpan indices, int64_t axis);
void gather(const void* data, ShapeSpan data_shape, const void* indices, infer_dtype index_dtype,
            ShapeSpan indices_shape, int64_t axis, void* out, size_t elem_size);

// GatherElements: the output has the shape of indices (same rank as data, no dimension larger
// than data's outside `axis`).
void check_gather_elements(ShapeSpan data, ShapeSpan indices, int64_t axis);
void gather_elements(const void* data, ShapeSpan data_shape, const void* indices,
                     infer_dtype index_dtype, ShapeSpan indices_shape, int64_t axis, void* out,
                     size_t elem_size);

// GatherND with batch_dims (int64 indices).
Shape gather_nd_shape(ShapeSpan data, ShapeSpan indices, int64_t batch_dims);
void gather_nd(const void* data, ShapeSpan data_shape, const int64_t* indices,
               ShapeSpan indices_shape, int64_t batch_dims, void* out, size_t elem_size);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_GATHER_H_
