// Slice: per-axis start/end/step with ONNX clamping, as a strided view of the input.
#ifndef INFER_PLUGINS_CPU_KERNELS_SLICE_H_
#define INFER_PLUGINS_CPU_KERNELS_SLICE_H_

#include <optional>

#include "kernels/common.h"

namespace infer::cpu {

struct SlicePlan {
  Shape out_shape;
  int64_t offset = 0;  // element offset of the first element read
  Shape src_strides;   // per output dimension, in elements (negative for negative steps)
};

// starts/ends/axes/steps as ONNX Slice (opset 10+): axes default to [0, n), steps to 1; axes
// may be negative but not repeated; steps must be non-zero. Starts and ends are clamped.
SlicePlan plan_slice(ShapeSpan in, ShapeSpan starts, ShapeSpan ends,
                     const std::optional<Shape>& axes, const std::optional<Shape>& steps);
void slice(const void* in, const SlicePlan& plan, void* out, size_t elem_size);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SLICE_H_
