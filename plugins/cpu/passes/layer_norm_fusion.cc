// layer_norm_fusion: the decomposed layer norm over the last axis,
//   d = x - ReduceMean(x); y = d / Sqrt(ReduceMean(d^2) + eps) * gamma [+ beta]
// (d^2 as Pow(d, 2) or Mul(d, d)) becomes LayerNormalization(x, gamma, beta): the standard op
// from opset 17, com.infer.LayerNormalization before.
#include <algorithm>

#include "pattern.h"

namespace infer::cpu_passes {
namespace {

// ReduceMean over only the last axis of a rank-`rank` input, keeping dims.
bool reduces_last_axis(const GraphEditor& g, size_t node, size_t rank) {
  if (!is_cpu_op(g, node, "ReduceMean")) return false;
  const plugin::NodeView n = g.node(node);
  if (n.attr_int("keepdims", 1) != 1) return false;
  std::vector<int64_t> axes = n.attr_ints("axes");
  if (n.has_input(1)) {
    std::optional<plugin::ConstantView> c = g.constant(n.input(1));
    if (!c || c->dtype != INFER_DTYPE_INT64) return false;
    std::span<const int64_t> data = c->as<int64_t>();
    axes.assign(data.begin(), data.end());
  }
  return axes.size() == 1 && (axes[0] == -1 || axes[0] == static_cast<int64_t>(rank) - 1);
}

// A constant of d elements along the last axis ([d], [1, 1, d]), as its data.
std::optional<std::vector<float>> last_axis_param(const GraphEditor& g, size_t v, int64_t d) {
  std::optional<plugin::ConstantView> c = g.constant(v);
  std::optional<std::vector<float>> data = float_constant(g, v);
  if (!c || !data || c->shape.empty() || c->shape.back() != d ||
      std::any_of(c->shape.begin(), c->shape.end() - 1, [](int64_t s) { return s != 1; })) {
    return std::nullopt;
  }
  return data;
}

// The constant operand of two-input node `node` whose other operand is v.
size_t constant_partner(const GraphEditor& g, size_t node, size_t v) {
  std::optional<size_t> i = other_input_index(g, node, v);
  if (!i || !g.is_constant(g.node(node).input(*i))) return INFER_NO_VALUE;
  return g.node(node).input(*i);
}

size_t fuse(GraphEditor& g, size_t mean1) {
  const plugin::NodeView r1 = g.node(mean1);
  const size_t x = r1.input(0);
  // Only the last dimension needs to be static (for gamma), the rest may be symbolic.
  const infer_value_info xi = g.value(x);
  if (!is_float32(g, x) || xi.rank == INFER_RANK_UNKNOWN || xi.rank == 0 ||
      xi.dims[xi.rank - 1] <= 0 || !reduces_last_axis(g, mean1, xi.rank)) {
    return 0;
  }
  const int64_t dim = xi.dims[xi.rank - 1];
  std::optional<size_t> sub = sole_cpu_consumer(g, r1.output(0), "Sub");
  if (!sub || g.node(*sub).input(0) != x || g.node(*sub).input(1) != r1.output(0)) return 0;
  const size_t d = g.node(*sub).output(0);
  if (g.is_graph_output(d)) return 0;
  // d feeds the square and the final Div, nothing else.
  std::vector<size_t> uses = g.consumers(d);
  std::sort(uses.begin(), uses.end());
  uses.erase(std::unique(uses.begin(), uses.end()), uses.end());
  if (uses.size() != 2) return 0;
  size_t square = INFER_NO_NODE, div = INFER_NO_NODE;
  for (size_t u : uses) {
    const plugin::NodeView n = g.node(u);
    if (is_cpu_op(g, u, "Pow") && n.input(0) == d && is_scalar_near(g, n.input(1), 2.0, 0)) {
      square = u;
    } else if (is_cpu_op(g, u, "Mul") && n.input(0) == d && n.input(1) == d) {
      square = u;
    } else if (is_cpu_op(g, u, "Div") && n.input(0) == d) {
      div = u;
    }
  }
  if (square == INFER_NO_NODE || div == INFER_NO_NODE) return 0;
  std::optional<size_t> mean2 = g.single_consumer(g.node(square).output(0));
  if (!mean2 || !reduces_last_axis(g, *mean2, xi.rank)) return 0;
  const size_t var = g.node(*mean2).output(0);
  std::optional<size_t> add_eps = sole_cpu_consumer(g, var, "Add");
  if (!add_eps) return 0;
  std::optional<double> eps = scalar_constant(g, constant_partner(g, *add_eps, var));
  if (!eps) return 0;
  std::optional<size_t> sqrt = sole_cpu_consumer(g, g.node(*add_eps).output(0), "Sqrt");
  if (!sqrt || g.single_consumer(g.node(*sqrt).output(0)) != div ||
      g.node(div).input(1) != g.node(*sqrt).output(0)) {
    return 0;
  }
  const size_t normed = g.node(div).output(0);
  std::optional<size_t> mul = sole_cpu_consumer(g, normed, "Mul");
  if (!mul) return 0;
  size_t gamma = constant_partner(g, *mul, normed);
  std::optional<std::vector<float>> gdata =
      gamma != INFER_NO_VALUE ? last_axis_param(g, gamma, dim) : std::nullopt;
  if (!gdata) return 0;
  std::vector<size_t> nodes{mean1, *sub, square, *mean2, *add_eps, *sqrt, div, *mul};
  size_t y = g.node(*mul).output(0), beta = INFER_NO_VALUE;
  std::optional<std::vector<float>> bdata;
  if (std::optional<size_t> add = sole_cpu_consumer(g, y, "Add")) {
    beta = constant_partner(g, *add, y);
    bdata = beta != INFER_NO_VALUE ? last_axis_param(g, beta, dim) : std::nullopt;
    if (bdata) {
      nodes.push_back(*add);
      y = g.node(*add).output(0);
    }
  }
  // LayerNormalization wants 1-D scale and bias for axis -1.
  const std::string name(r1.name());
  if (g.constant(gamma)->shape.size() != 1)
    gamma = g.add_float_initializer(name + "_scale", {dim}, *gdata);
  std::vector<size_t> inputs{x, gamma};
  if (bdata) {
    if (g.constant(beta)->shape.size() != 1)
      beta = g.add_float_initializer(name + "_bias", {dim}, *bdata);
    inputs.push_back(beta);
  }
  const bool standard = default_opset(g) >= 17;
  const size_t ln =
      replace_nodes(g, nodes, "LayerNormalization", standard ? "" : kInferDomain, inputs, y);
  g.set_attr(ln, "axis", int64_t{-1});
  g.set_attr(ln, "epsilon", static_cast<float>(*eps));
  return nodes.size();
}

}  // namespace

size_t layer_norm_fusion(GraphEditor& g, const infer_config*) {
  return for_each_cpu_op(g, "ReduceMean", fuse);
}

}  // namespace infer::cpu_passes
