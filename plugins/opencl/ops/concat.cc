// Concat: one copy kernel per input into its slab of the output.
#include "ops/op.h"

namespace infer::opencl {
namespace {

const char* const kSource = R"CL(
// x is [outer, in_axis * inner]; it lands at axis offset `offset` of y [outer, out_axis * inner].
__kernel void concat_copy(__global const float* x, __global float* y, int slab, int out_slab,
                          int offset, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  int o = i / slab;
  y[o * out_slab + offset + (i - o * slab)] = x[i];
}
)CL";

int64_t axis_of(const NodeSnapshot& n) {
  const int64_t rank = static_cast<int64_t>(n.outputs[0].dims.size());
  const int64_t axis = n.attr_int("axis", 1);
  return axis < 0 ? axis + rank : axis;
}

std::string check(const NodeSnapshot& node) {
  if (std::string why = check_float_io(node, node.inputs.size()); !why.empty()) return why;
  const int64_t axis = axis_of(node);
  if (axis < 0 || axis >= static_cast<int64_t>(node.outputs[0].dims.size()))
    return "axis out of range";
  return "";
}

void lower(Lowering& l) {
  const NodeSnapshot& n = l.node();
  const size_t axis = static_cast<size_t>(axis_of(n));
  const auto& out = n.outputs[0].dims;
  int64_t inner = 1;
  for (size_t d = axis + 1; d < out.size(); ++d) inner *= out[d];
  const Arg y = l.output(0);
  const cl_program program = l.program(kSource);
  int64_t offset = 0;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (!n.has_input(i)) continue;
    const int64_t slab = n.inputs[i].dims[axis] * inner;
    const int64_t count = n.inputs[i].numel();
    if (count > 0) {
      l.launch_1d(program, "concat_copy",
                  {l.input(i), y, Arg::int32(slab), Arg::int32(out[axis] * inner),
                   Arg::int32(offset), Arg::int32(count)},
                  static_cast<size_t>(count));
    }
    offset += slab;
  }
}

constexpr OpDef kOps[] = {{"Concat", check, lower}};

}  // namespace

std::span<const OpDef> concat_ops() { return kOps; }

}  // namespace infer::opencl
