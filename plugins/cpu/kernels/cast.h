// Cast between any two fixed-size element types (ONNX Cast semantics, see convert.h).
#ifndef INFER_PLUGINS_CPU_KERNELS_CAST_H_
#define INFER_PLUGINS_CPU_KERNELS_CAST_H_

#include "kernels/common.h"

namespace infer::cpu {

// y[i] = x[i] converted from `from` to `to`; both must be in kAnyFixed (fails otherwise).
void cast_elements(infer_dtype from, const void* x, infer_dtype to, void* y, int64_t n);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_CAST_H_
