// Nodes of custom operators (registered by custom-op plugins) that have a kernel for the cpu
// backend: they run inside cpu partitions like built-in operators.
#ifndef INFER_PLUGINS_CPU_OPS_CUSTOM_OP_H_
#define INFER_PLUGINS_CPU_OPS_CUSTOM_OP_H_

#include "ops/op.h"

namespace infer::cpu {

// The descriptor for a custom operator node with a cpu kernel, or null.
const OpDesc* find_custom_op(const OpContext& ctx);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_OPS_CUSTOM_OP_H_
