// Cast between any two fixed-size element types (ONNX Cast semantics, see convert.h).
#ifndef INFER_PLUGINS_CPU_KERNELS_CAST_H_
#define INFER_PLUGINS_CPU_KERNELS_CAST_H_

#include "kernels/common.h"

namespace infer::cpu {

// y[i] = x[i] converted from `from` to `to`; both must be in kAnyFixed or kFloat8 (fails
// otherwise). `saturate` is Cast's attribute: it only matters for a float8 `to` (see
// float_to_float8); values reach float8 through float, as in ONNX's reference (ml_dtypes).
void cast_elements(infer_dtype from, const void* x, infer_dtype to, void* y, int64_t n,
                   bool saturate = true);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CAST_H_
