// Shared by ScatterElements, its deprecated alias Scatter (opset 9-10) and ScatterND.
#ifndef INFER_PLUGINS_CPU_OPS_SCATTER_COMMON_H_
#define INFER_PLUGINS_CPU_OPS_SCATTER_COMMON_H_

#include "kernels/scatter.h"
#include "ops/op.h"

namespace infer::cpu {

// The reduction attribute: add/mul from opset 16, max/min from 18; none before.
ScatterReduction read_scatter_reduction(const OpContext& ctx);

// Reads axis and, for ScatterElements, reduction.
std::unique_ptr<Kernel> create_scatter_elements(const OpContext& ctx, bool has_reduction);

constexpr DtypeMask kScatterIndexDtypes = kI32 | kI64;

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_SCATTER_COMMON_H_
