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

// Outputs that must stay computed: graph outputs (the session returns what a node writes).
bool any_output_must_stay(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  for (size_t i = 0; i < n.output_count(); ++i) {
    const size_t v = n.output(i);
    if (v != INFER_NO_VALUE && g.is_graph_output(v)) return true;
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

// What a Shape node returns (opset-15 start/end applied), INFER_DIM_DYNAMIC where a dim is
// unknown; nullopt if the rank is unknown.
std::optional<std::vector<int64_t>> shape_node_dims(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (!n.has_input(0)) return std::nullopt;
  const infer_value_info info = g.value(n.input(0));
  if (info.rank == INFER_RANK_UNKNOWN) return std::nullopt;
  const auto rank = static_cast<int64_t>(info.rank);
  auto clamp = [rank](int64_t i) { return std::clamp(i < 0 ? i + rank : i, int64_t{0}, rank); };
  const int64_t start = clamp(n.attr_int("start", 0));
  const int64_t end = std::max(start, clamp(n.attr_int("end", rank)));
  std::vector<int64_t> dims(info.dims + start, info.dims + end);
  for (int64_t& d : dims) d = d < 0 ? INFER_DIM_DYNAMIC : d;
  return dims;
}

bool all_known(const std::vector<int64_t>& dims) {
  return std::all_of(dims.begin(), dims.end(), [](int64_t d) { return d >= 0; });
}

// An int64 constant (shape, data) a node's output is known to hold without running it.
using IntConstant = std::pair<std::vector<int64_t>, std::vector<int64_t>>;

// Shape or Size of a value whose shape is fully known.
std::optional<IntConstant> static_shape_result(const GraphEditor& g, size_t node) {
  const bool size = g.node(node).op_type() == "Size";
  std::optional<std::vector<int64_t>> dims = shape_node_dims(g, node);
  if (!dims || !all_known(*dims)) return std::nullopt;
  if (size) {
    int64_t count = 1;
    for (int64_t d : *dims) count *= d;
    return IntConstant{{}, {count}};
  }
  return IntConstant{{static_cast<int64_t>(dims->size())}, std::move(*dims)};
}

// Gather(Shape(x), constant indices) picking only dims of x that are known, the common
// "x.shape[2]" of exported models whose other dims stay symbolic.
std::optional<IntConstant> gathered_dims(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (!n.has_input(0) || !n.has_input(1) || n.attr_int("axis", 0) != 0) return std::nullopt;
  const size_t shape_node = g.producer(n.input(0));
  if (shape_node == INFER_NO_NODE || !g.is_op(shape_node, "Shape")) return std::nullopt;
  const std::optional<std::vector<int64_t>> dims = shape_node_dims(g, shape_node);
  const std::optional<plugin::ConstantView> idx = fixed_constant(g, n.input(1));
  const std::optional<std::vector<int64_t>> indices = constant_ints(g, n.input(1));
  if (!dims || !indices || idx->shape.size() > 1) return std::nullopt;
  std::vector<int64_t> picked;
  const auto rank = static_cast<int64_t>(dims->size());
  for (int64_t i : *indices) {
    if (i < 0) i += rank;
    if (i < 0 || i >= rank || (*dims)[static_cast<size_t>(i)] < 0) return std::nullopt;
    picked.push_back((*dims)[static_cast<size_t>(i)]);
  }
  return IntConstant{idx->shape, std::move(picked)};
}

// Replaces the node's only output with the constant it is known to hold.
bool replace_with_constant(GraphEditor& g, size_t node, const IntConstant& value) {
  const size_t out = g.node(node).output(0);
  const auto& [shape, data] = value;
  const size_t c = g.add_initializer(g.unique_name(g.value_name(out)), INFER_DTYPE_INT64, shape,
                                     data.data(), data.size() * sizeof(int64_t));
  g.replace_uses(out, c);
  g.remove_node(node);
  return true;
}

// Shape, Size and Gather-of-Shape answered from static shapes, without constant inputs.
bool fold_from_shapes(GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  const std::string_view op = n.op_type();
  if (!is_default_domain(g, node) || (op != "Shape" && op != "Size" && op != "Gather")) {
    return false;
  }
  const size_t out = n.output_count() == 1 ? n.output(0) : INFER_NO_VALUE;
  if (out == INFER_NO_VALUE || !can_replace_uses(g, out) || any_output_must_stay(g, node)) {
    return false;
  }
  const std::optional<IntConstant> value =
      op == "Gather" ? gathered_dims(g, node) : static_shape_result(g, node);
  return value && replace_with_constant(g, node, *value);
}

}  // namespace

size_t fold_constants(GraphEditor& g, const infer_config*) {
  size_t changed = 0;
  // Node ids follow import order, which is topological for ONNX models, so one
  // sweep folds whole constant chains; the host's rounds catch the rest.
  for (size_t node : live_nodes(g)) {
    if (fold_from_shapes(g, node)) {
      ++changed;
    } else if (foldable(g, node) && g.try_fold(node)) {
      ++changed;
    }
  }
  return changed;
}

}  // namespace infer::basic_passes
