// Shared by RNN, GRU and LSTM: attribute parsing and the kernel, parameterised by the cell.
#ifndef INFER_PLUGINS_CPU_OPS_RECURRENT_H_
#define INFER_PLUGINS_CPU_OPS_RECURRENT_H_

#include "kernels/recurrent.h"
#include "ops/op.h"

namespace infer::cpu {

std::unique_ptr<Kernel> create_recurrent_kernel(const OpContext& ctx, RnnCell cell);
// OpDesc::check: the types of every input (more than input_dtypes can describe).
void check_recurrent_types(const OpContext& ctx);

// float16 and bfloat16 are computed in float32.
constexpr DtypeMask kRecurrentFloats = kFloats;

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_RECURRENT_H_
