// DepthToSpace and SpaceToDepth: one kernel, two directions.
#ifndef INFER_PLUGINS_CPU_OPS_BLOCK_REARRANGE_H_
#define INFER_PLUGINS_CPU_OPS_BLOCK_REARRANGE_H_

#include "ops/op.h"

namespace infer::cpu {

// Reads blocksize and mode (an attribute since mode_opset).
std::unique_ptr<Kernel> create_block_rearrange(const OpContext& ctx, bool to_space,
                                               int64_t mode_opset);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_BLOCK_REARRANGE_H_
