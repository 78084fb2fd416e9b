// Softmax, LogSoftmax and Hardmax over one axis of a tensor viewed as [outer, axis_len, inner].
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

enum class SoftmaxKind { kSoftmax, kLogSoftmax, kHardmax };

// T is float, double, Float16 or BFloat16; the 16-bit types compute in float. Hardmax puts
// its 1 at the first maximum.
template <typename T>
void softmax_kind(SoftmaxKind kind, const T* x, T* y, const SoftmaxDims& dims);

template <typename T>
void softmax(const T* x, T* y, const SoftmaxDims& dims) {
  softmax_kind(SoftmaxKind::kSoftmax, x, y, dims);
}

extern template void softmax_kind<float>(SoftmaxKind, const float*, float*, const SoftmaxDims&);
extern template void softmax_kind<double>(SoftmaxKind, const double*, double*, const SoftmaxDims&);
extern template void softmax_kind<Float16>(SoftmaxKind, const Float16*, Float16*,
                                           const SoftmaxDims&);
extern template void softmax_kind<BFloat16>(SoftmaxKind, const BFloat16*, BFloat16*,
                                            const SoftmaxDims&);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SOFTMAX_H_
