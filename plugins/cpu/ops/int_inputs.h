// Small integer inputs of the shape and indexing operators (shapes, axes, pads, repeats, k, ...)
// read at run time from int32 or int64 tensors.
#ifndef INFER_PLUGINS_CPU_OPS_INT_INPUTS_H_
#define INFER_PLUGINS_CPU_OPS_INT_INPUTS_H_

#include "ops/op.h"

namespace infer::cpu {

// The values of a 0-D or 1-D int32/int64 tensor; `what` names it in errors.
Shape ints_of(const Tensor& t, const char* what);
// The single value of a one-element int32/int64 tensor (0-D or [1]).
int64_t int_scalar_of(const Tensor& t, const char* what);
// Input i as ints if it is present, else nullopt.
std::optional<Shape> optional_ints(const KernelContext& ctx, size_t i, const char* what);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_INT_INPUTS_H_
