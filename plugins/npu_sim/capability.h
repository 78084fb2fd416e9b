// What npu_sim claims: a node it can build into its network and tile into the SRAM.
#ifndef INFER_PLUGINS_NPU_SIM_CAPABILITY_H_
#define INFER_PLUGINS_NPU_SIM_CAPABILITY_H_

#include <string>

#include "config.h"
#include "infer/node_snapshot.hpp"

namespace infer::npu_sim {

// "" when npu_sim runs the node; otherwise a one-line reason that names the node, e.g.
// "Conv node 'c1': kernel 9x9 exceeds npu_sim's 7x7 limit".
std::string refusal_reason(const plugin::NodeSnapshot& node, int64_t opset, const NpuConfig& cfg);

}  // namespace infer::npu_sim

#endif  // INFER_PLUGINS_NPU_SIM_CAPABILITY_H_
