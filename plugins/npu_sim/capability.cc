#include "capability.h"

#include <exception>

#include "compiler.h"
#include "infer/plugin_cxx.hpp"
#include "network.h"

namespace infer::npu_sim {

std::string refusal_reason(const NodeSnapshot& node, int64_t opset, const NpuConfig& cfg) {
  std::string reason;
  try {
    // The node alone as a partition: its non-constant inputs come from outside. Reshape's
    // target shape is not data; build_network explains when it is not constant.
    std::vector<ValueSnapshot> inputs;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const ValueSnapshot& v = node.inputs[i];
      if (!v.present() || v.is_const || (node.op_type == "Reshape" && i == 1)) continue;
      bool seen = false;
      for (const ValueSnapshot& u : inputs) seen |= u.id == v.id;
      if (!seen) inputs.push_back(v);
    }
    std::vector<ValueSnapshot> outputs;
    for (const ValueSnapshot& v : node.outputs) {
      if (v.present()) outputs.push_back(v);
    }
    const Network net = build_network({&node, 1}, inputs, outputs, opset);
    check_tiling(net, cfg);
    return "";
  } catch (const plugin::PluginError& e) {
    reason = e.message;
  } catch (const std::exception& e) {
    reason = e.what();
  }
  const std::string who = node.describe();
  return reason.compare(0, who.size(), who) == 0 ? reason : who + ": " + reason;
}

}  // namespace infer::npu_sim
