// CumSum and CumProd along one axis, with the exclusive and reverse variants.
#ifndef INFER_PLUGINS_CPU_KERNELS_CUMULATIVE_H_
#define INFER_PLUGINS_CPU_KERNELS_CUMULATIVE_H_

#include "kernels/common.h"

namespace infer::cpu {

struct CumulativeParams {
  bool product = false;    // CumProd instead of CumSum
  bool exclusive = false;  // element i excludes x[i] (the first output is 0, or 1)
  bool reverse = false;    // accumulate from the end of the axis
};

// dtype: any numeric type (16-bit floats accumulate in float).
void cumulative(infer_dtype dtype, const void* in, ShapeSpan shape, int64_t axis,
                const CumulativeParams& p, void* out);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CUMULATIVE_H_
