// Softmax over one axis of a tensor viewed as [outer, axis_len, inner].
#ifndef INFER_PLUGINS_CPU_KERNELS_SOFTMAX_H_
#define INFER_PLUGINS_CPU_KERNELS_SOFTMAX_H_

#include "kernels/common.h"

namespace infer::cpu {

// Splits `shape` for softmax along `axis`: opset >= 13 normalises over that one axis; older
// opsets coerce the input to 2-D [prod(shape[:axis]), prod(shape[axis:])] and normalise rows.
struct SoftmaxDims {
  int64_t outer = 0, axis_len = 0, inner = 0;
};
SoftmaxDims softmax_dims(ShapeSpan shape, int64_t axis, bool coerce_2d);

void softmax(const float* x, float* y, const SoftmaxDims& dims);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SOFTMAX_H_
