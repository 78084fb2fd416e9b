// gelu_fusion: the exact GELU as exporters write it,
//   0.5 * x * (1 + erf(x / sqrt(2)))   (x / sqrt(2) also as x * (1 / sqrt(2)); the two outer
//   products in any of their three association orders)
// becomes one Gelu: the standard op from opset 20, com.infer.Gelu before.
#include <numbers>

#include "pattern.h"

namespace infer::cpu_passes {
namespace {

// x when `node` computes x / sqrt(2) or x * (1 / sqrt(2)) with a constant.
std::optional<size_t> scaled_input(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (n.input_count() != 2) return std::nullopt;
  // x is float32 when the graph says so or when the float32 constant fixes it.
  auto ok = [&](size_t x, size_t c) {
    return keeps_shape(g, c, x) &&
           (is_float32(g, x) || (float32_or_unknown(g, x) && float_constant(g, c)));
  };
  if (is_cpu_op(g, node, "Div") && is_scalar_near(g, n.input(1), std::numbers::sqrt2) &&
      ok(n.input(0), n.input(1))) {
    return n.input(0);
  }
  if (is_cpu_op(g, node, "Mul")) {
    for (size_t i = 0; i < 2; ++i) {
      const size_t x = n.input(i), c = n.input(1 - i);
      if (is_scalar_near(g, c, 1 / std::numbers::sqrt2) && ok(x, c)) return x;
    }
  }
  return std::nullopt;
}

// The other input of Mul `node` if one input is `v`.
std::optional<size_t> mul_partner(const GraphEditor& g, size_t node, size_t v) {
  std::optional<size_t> i = other_input_index(g, node, v);
  if (!i) return std::nullopt;
  return g.node(node).input(*i);
}

// Matches from the Erf node; returns the number of nodes replaced (0: graph unchanged).
size_t fuse(GraphEditor& g, size_t erf) {
  const plugin::NodeView e = g.node(erf);
  const size_t div = g.producer(e.input(0));
  if (div == INFER_NO_NODE || g.single_consumer(e.input(0)) != erf) return 0;
  std::optional<size_t> x = scaled_input(g, div);
  if (!x) return 0;
  std::optional<size_t> add = sole_cpu_consumer(g, e.output(0), "Add");
  if (!add) return 0;
  std::optional<size_t> one = other_input_index(g, *add, e.output(0));
  const size_t one_v = one ? g.node(*add).input(*one) : INFER_NO_VALUE;
  if (!one || !is_scalar_near(g, one_v, 1.0) || !keeps_shape(g, one_v, *x)) return 0;
  const size_t sum = g.node(*add).output(0);
  std::optional<size_t> m1 = sole_cpu_consumer(g, sum, "Mul");
  if (!m1) return 0;
  std::optional<size_t> p = mul_partner(g, *m1, sum);
  if (!p) return 0;
  std::vector<size_t> nodes{div, erf, *add, *m1};
  size_t y = g.node(*m1).output(0);
  if (*p == *x || is_scalar_near(g, *p, 0.5)) {
    // (x * sum) * 0.5  or  x * (sum * 0.5): one more Mul with the missing factor.
    std::optional<size_t> m2 = sole_cpu_consumer(g, y, "Mul");
    if (!m2) return 0;
    std::optional<size_t> q = mul_partner(g, *m2, y);
    const size_t half = *p == *x ? (q ? *q : INFER_NO_VALUE) : *p;
    const bool completes = q && (*p == *x ? true : *q == *x) && is_scalar_near(g, half, 0.5) &&
                           keeps_shape(g, half, *x);
    if (!completes) return 0;
    nodes.push_back(*m2);
    y = g.node(*m2).output(0);
  } else {
    // (x * 0.5) * sum: the half is its own Mul of x.
    const size_t half = g.producer(*p);
    if (!is_cpu_op(g, half, "Mul") || g.single_consumer(*p) != *m1 ||
        mul_partner(g, half, *x) == std::nullopt ||
        !is_scalar_near(g, *mul_partner(g, half, *x), 0.5) ||
        !keeps_shape(g, *mul_partner(g, half, *x), *x)) {
      return 0;
    }
    nodes.push_back(half);
  }
  const bool standard = default_opset(g) >= 20;
  replace_nodes(g, nodes, "Gelu", standard ? "" : kInferDomain, {*x}, y);
  return nodes.size();
}

}  // namespace

size_t gelu_fusion(GraphEditor& g, const infer_config*) { return for_each_cpu_op(g, "Erf", fuse); }

}  // namespace infer::cpu_passes
