// Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout (inference): the output is the
// input's bytes under another shape, so it aliases the input's device buffer (no kernel).
#include "ops/op.h"

namespace infer::opencl {
namespace {

std::string check(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, 1); !why.empty()) return why;
  if (node.outputs.size() > 1 && node.outputs[1].present()) return "mask output is not supported";
  if (node.outputs[0].numel() != node.inputs[0].numel()) return "element count changes";
  return "";
}

void lower(Lowering& l) { l.alias_output(0, 0); }

constexpr OpDef kOps[] = {{"Reshape", check, lower},  {"Flatten", check, lower},
                          {"Squeeze", check, lower},  {"Unsqueeze", check, lower},
                          {"Identity", check, lower}, {"Dropout", check, lower}};

}  // namespace

std::span<const OpDef> reshape_ops() { return kOps; }

}  // namespace infer::opencl
