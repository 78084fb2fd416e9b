// Output shapes of the operators that only rearrange or repeat elements: Squeeze, Unsqueeze,
// Expand, Tile, Split, DepthToSpace and SpaceToDepth, plus their copies where they are more than
// a byte copy. All validate their arguments and throw PluginError.
#ifndef INFER_PLUGINS_CPU_KERNELS_SHAPE_OPS_H_
#define INFER_PLUGINS_CPU_KERNELS_SHAPE_OPS_H_

#include <optional>

#include "kernels/common.h"

namespace infer::cpu {

// Squeeze: removes `axes` (each must have size 1), or every size-1 dimension when absent.
Shape squeeze_shape(ShapeSpan in, const std::optional<Shape>& axes);
// Unsqueeze: inserts size-1 dimensions at `axes` (indices into the output, no repeats).
Shape unsqueeze_shape(ShapeSpan in, ShapeSpan axes);

// Expand: bidirectional broadcast of the input shape with the requested shape.
Shape expand_shape(ShapeSpan in, ShapeSpan requested);

// Tile: repeats[i] >= 0 copies along dimension i.
Shape tile_shape(ShapeSpan in, ShapeSpan repeats);
void tile(const void* in, ShapeSpan in_shape, ShapeSpan repeats, void* out, size_t elem_size);

// Split sizes along an axis of size `dim`: `split` if given (non-negative, summing to dim, one
// per output); else `num_outputs` chunks of ceil(dim / num_outputs), the last one smaller when
// dim does not divide evenly (as opset 18 and the ONNX reference do).
Shape split_sizes(int64_t dim, const std::optional<Shape>& split, size_t num_outputs);

// DepthToSpace / SpaceToDepth on NCHW tensors; crd selects the CRD ordering instead of DCR.
Shape depth_to_space_shape(ShapeSpan in, int64_t blocksize);
void depth_to_space(const void* in, ShapeSpan in_shape, int64_t blocksize, bool crd, void* out,
                    size_t elem_size);
Shape space_to_depth_shape(ShapeSpan in, int64_t blocksize);
void space_to_depth(const void* in, ShapeSpan in_shape, int64_t blocksize, bool crd, void* out,
                    size_t elem_size);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SHAPE_OPS_H_
