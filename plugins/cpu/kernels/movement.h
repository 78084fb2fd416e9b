// Dtype-agnostic data movement shared by the layout operators (Transpose, Slice, Expand, Tile,
// Pad, DepthToSpace, ...): elements are opaque blocks of elem_size bytes.
#ifndef INFER_PLUGINS_CPU_KERNELS_MOVEMENT_H_
#define INFER_PLUGINS_CPU_KERNELS_MOVEMENT_H_

#include <cstddef>

#include "kernels/common.h"

namespace infer::cpu {

// Dense row-major strides (in elements) of `shape`.
Shape dense_strides(ShapeSpan shape);

// For every index i over `dims`: dst[sum i_k * dst_strides[k]] = src[sum i_k * src_strides[k]],
// strides in elements (0 broadcasts, negative walks backwards). src and dst point at the element
// of index 0. The caller guarantees every addressed element lies inside its buffer.
void strided_copy(const void* src, ShapeSpan src_strides, void* dst, ShapeSpan dst_strides,
                  ShapeSpan dims, size_t elem_size);

// Dense out of shape [maps[0].size(), maps[1].size(), ...] with
// out[i0, i1, ...] = in[maps[0][i0], maps[1][i1], ...], or `fill` (one element of elem_size
// bytes) where any map entry is -1. Map entries are -1 or in [0, in_shape[k]); maps has one
// entry per dimension of in_shape.
void gather_by_axis_maps(const void* in, ShapeSpan in_shape, std::span<const Shape> maps,
                         const void* fill, void* out, size_t elem_size);

// The permutation Transpose uses: `perm`, or the reversed axes when it is empty; checked to be
// a permutation of [0, rank).
Shape transpose_perm(ShapeSpan perm, size_t rank);
Shape transpose_shape(ShapeSpan in, ShapeSpan perm);
// out = in with its axes permuted by a validated perm.
void transpose(const void* in, ShapeSpan in_shape, ShapeSpan perm, void* out, size_t elem_size);

// Copies a dense tensor of shape `in` broadcast to shape `out` (numpy rules, `out` has at least
// the rank of `in`).
void broadcast_to(const void* in, ShapeSpan in_shape, void* out, ShapeSpan out_shape,
                  size_t elem_size);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_MOVEMENT_H_
