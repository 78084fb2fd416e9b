// identity_elimination: removes nodes that pass their input through unchanged (Identity,
// inference-mode Dropout, Cast to the same type, shape ops that keep the shape), so their
// readers read the input directly.
#include <algorithm>

#include "pass_util.h"
#include "passes.h"

namespace infer::basic_passes {
namespace {

// Dropout outside training copies its input; the mask output must be unused.
bool dropout_is_identity(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (n.output_count() > 1 && is_used(g, n.output(1))) return false;
  // Only opset 12's training_mode input turns dropping on (old is_test attributes are
  // ignored at inference, as every runtime does).
  if (default_opset(g) < 12 || !n.has_input(2)) return true;
  const std::optional<plugin::ConstantView> mode = fixed_constant(g, n.input(2));
  return mode && all_elements_equal(*mode, 0.0);
}

// The output type is `to` by definition (and unknown to shape inference at times).
bool cast_is_identity(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  const infer_dtype from = g.value(n.input(0)).dtype;
  return from != INFER_DTYPE_UNDEFINED && n.attr_int("to", -1) == static_cast<int64_t>(from);
}

// Squeeze without axes drops every 1: a no-op when there is none. (With axes it
// always drops a dim, or is an error.)
bool squeeze_keeps_shape(const plugin::NodeView& n, const std::vector<int64_t>& in) {
  const bool axes = n.has_input(1) || !n.attr_ints("axes").empty();
  return !axes && std::find(in.begin(), in.end(), 1) == in.end();
}

// Expand to a constant shape that broadcasts to the input's own shape.
bool expand_keeps_shape(const GraphEditor& g, const plugin::NodeView& n,
                        const std::vector<int64_t>& in) {
  const std::optional<std::vector<int64_t>> to = constant_ints(g, n.input(1));
  if (!to || to->size() > in.size()) return false;
  const size_t offset = in.size() - to->size();
  for (size_t i = 0; i < to->size(); ++i) {
    if ((*to)[i] != 1 && (*to)[i] != in[offset + i]) return false;
  }
  return true;
}

// Ops that only move or reshape data: a no-op when the shape does not change.
// Shape inference tells for most; Squeeze and Expand are also worked out here.
bool shape_op_is_identity(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  const std::optional<std::vector<int64_t>> in = g.static_shape(n.input(0));
  if (!in) return false;
  if (same_shape(g, n.input(0), n.output(0))) return true;
  if (n.op_type() == "Squeeze") return squeeze_keeps_shape(n, *in);
  if (n.op_type() == "Expand") return n.has_input(1) && expand_keeps_shape(g, n, *in);
  return false;
}

bool is_identity(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (!is_default_domain(g, node) || !n.has_input(0) || n.output_count() == 0 ||
      n.output(0) == INFER_NO_VALUE) {
    return false;
  }
  const std::string_view op = n.op_type();
  if (op == "Identity") return true;
  if (op == "Dropout") return dropout_is_identity(g, node);
  if (op == "Cast") return cast_is_identity(g, node);
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze" ||
      op == "Expand") {
    return shape_op_is_identity(g, node);
  }
  return false;
}

}  // namespace

size_t eliminate_identities(GraphEditor& g, const infer_config*) {
  size_t removed = 0;
  for (size_t node : live_nodes(g)) {
    if (!is_identity(g, node)) continue;
    const plugin::NodeView n = g.node(node);
    // A graph output or a value read by a subgraph keeps its node.
    if (bypass_node(g, node, n.output(0), n.input(0))) ++removed;
  }
  return removed;
}

}  // namespace infer::basic_passes
