// CumSum and CumProd share one kernel.
#ifndef INFER_PLUGINS_CPU_OPS_CUMULATIVE_H_
#define INFER_PLUGINS_CPU_OPS_CUMULATIVE_H_

#include "ops/op.h"

namespace infer::cpu {

// Reads exclusive and reverse; the axis is input 1.
std::unique_ptr<Kernel> create_cumulative(const OpContext& ctx, bool product);

constexpr DtypeMask kCumulativeDtypes = kNumeric;

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_CUMULATIVE_H_
