// constant_folding: evaluates nodes whose inputs are all constants once, at load time, and
// turns Shape/Size of statically shaped values into constants, so the graph that runs only
// computes what depends on its inputs.
#include <algorithm>
#include <array>

#include "pass_util.h"
#include "passes.h"

namespace infer::basic_passes {
namespace {

// Folded outputs become initializers kept in memory: refuse blow-ups such as
// ConstantOfShape or Expand of a scalar into a huge tensor.
constexpr int64_t kMaxFoldedElements = int64_t{16} << 20;

// Ops whose output may be much larger than their inputs: folded only when
// shape inference knows how large the result is.
bool may_grow(std::string_view op) {
  static constexpr std::array<std::string_view, 9> kOps = {
      "ConstantOfShape", "Expand", "Tile",    "Range", "Resize",
      "Upsample",        "Pad",    "EyeLike", "OneHot"};
  return std::find(kOps.begin(), kOps.end(), op) != kOps.end();
}

bool outputs_small_enough(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  for (size_t i = 0; i < n.output_count(); ++i) {
    const size_t v = n.output(i);
    if (v == INFER_NO_VALUE) continue;
    const std::optional<int64_t> count = static_element_count(g, v);
    if (count ? *count > kMaxFoldedElements : may_grow(n.op_type())) return false;
  }
  return true;
}

// Outputs that must stay computed: graph outputs (the session returns what a node
// writes) and values control-flow nodes read (see read_by_control_flow).
bool any_output_must_stay(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  for (size_t i = 0; i < n.output_count(); ++i) {
    const size_t v = n.output(i);
    if (v != INFER_NO_VALUE && (g.is_graph_output(v) || read_by_control_flow(g, v))) return true;
  }
  return false;
}

bool foldable(const GraphEditor& g, size_t node) {
  const std::string_view op = g.node(node).op_type();
  // DequantizeLinear stays: folding it would store quantised weights as floats.
  return is_default_domain(g, node) && !is_nondeterministic(op) && op != "DequantizeLinear" &&
         !has_graph_attribute(g, node) && all_inputs_constant(g, node) &&
         !any_output_must_stay(g, node) && outputs_small_enough(g, node);
}

// Shape (with opset-15 start/end) or Size of a value whose shape is fully known.
std::optional<std::pair<std::vector<int64_t>, std::vector<int64_t>>> static_shape_result(
    const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (!n.has_input(0)) return std::nullopt;
  const std::optional<std::vector<int64_t>> shape = g.static_shape(n.input(0));
  if (!shape) return std::nullopt;
  if (n.op_type() == "Size") {
    int64_t count = 1;
    for (int64_t d : *shape) count *= d;
    return std::pair{std::vector<int64_t>{}, std::vector<int64_t>{count}};
  }
  const auto rank = static_cast<int64_t>(shape->size());
  auto clamp = [rank](int64_t i) { return std::clamp(i < 0 ? i + rank : i, int64_t{0}, rank); };
  const int64_t start = clamp(n.attr_int("start", 0));
  const int64_t end = std::max(start, clamp(n.attr_int("end", rank)));
  std::vector<int64_t> dims(shape->begin() + start, shape->begin() + end);
  return std::pair{std::vector<int64_t>{static_cast<int64_t>(dims.size())}, std::move(dims)};
}

bool fold_static_shape(GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  const size_t out = n.output(0);
  if (out == INFER_NO_VALUE || !can_replace_uses(g, out) || any_output_must_stay(g, node)) {
    return false;
  }
  auto result = static_shape_result(g, node);
  if (!result) return false;
  const auto& [shape, data] = *result;
  const size_t c = g.add_initializer(g.unique_name(g.value_name(out)), INFER_DTYPE_INT64, shape,
                                     data.data(), data.size() * sizeof(int64_t));
  g.replace_uses(out, c);
  g.remove_node(node);
  return true;
}

}  // namespace

size_t fold_constants(GraphEditor& g, const infer_config*) {
  size_t changed = 0;
  // Node ids follow import order, which is topological for ONNX models, so one
  // sweep folds whole constant chains; the host's rounds catch the rest.
  for (size_t node : live_nodes(g)) {
    const plugin::NodeView n = g.node(node);
    if ((n.op_type() == "Shape" || n.op_type() == "Size") && is_default_domain(g, node) &&
        fold_static_shape(g, node)) {
      ++changed;
    } else if (foldable(g, node) && g.try_fold(node)) {
      ++changed;
    }
  }
  return changed;
}

}  // namespace infer::basic_passes
