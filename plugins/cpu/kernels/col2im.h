// Col2Im: sums sliding blocks [N, C * prod(block), L] back into images [N, C, image...].
#ifndef INFER_PLUGINS_CPU_KERNELS_COL2IM_H_
#define INFER_PLUGINS_CPU_KERNELS_COL2IM_H_

#include "kernels/common.h"

namespace infer::cpu {

struct Col2ImParams {
  Shape image, block;              // spatial shapes, r entries each
  Shape dilations, pads, strides;  // r, 2r and r entries (already defaulted)
};

// Validates the parameters against the input and returns the output shape.
Shape col2im_shape(ShapeSpan in, const Col2ImParams& p);
// dtype: any numeric type.
void col2im(infer_dtype dtype, const void* in, ShapeSpan in_shape, const Col2ImParams& p,
            void* out);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_COL2IM_H_
