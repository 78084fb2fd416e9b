// Det: determinants of the square matrices in the last two dimensions.
#ifndef INFER_PLUGINS_CPU_KERNELS_DET_H_
#define INFER_PLUGINS_CPU_KERNELS_DET_H_

#include "kernels/common.h"

namespace infer::cpu {

// [*, M, M] -> [*]
Shape det_shape(ShapeSpan x);
// LU decomposition with partial pivoting in double. T: the float types.
template <typename T>
void det(const T* x, ShapeSpan x_shape, T* y);

extern template void det<float>(const float*, ShapeSpan, float*);
extern template void det<double>(const double*, ShapeSpan, double*);
extern template void det<Float16>(const Float16*, ShapeSpan, Float16*);
extern template void det<BFloat16>(const BFloat16*, ShapeSpan, BFloat16*);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_DET_H_
