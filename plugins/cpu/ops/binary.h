// Shared by the broadcasting binary operators (Add, Mul).
#ifndef INFER_PLUGINS_CPU_OPS_BINARY_H_
#define INFER_PLUGINS_CPU_OPS_BINARY_H_

#include "kernels/elementwise.h"
#include "ops/op.h"

namespace infer::cpu {

// Numpy broadcasting for float32 and int64; before opset 7, the legacy `broadcast`/`axis`
// attributes.
std::unique_ptr<Kernel> create_binary_kernel(const OpContext& ctx, BinaryOp op);

constexpr DtypeMask kBinaryDtypes = kF32 | kI64;

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_BINARY_H_
