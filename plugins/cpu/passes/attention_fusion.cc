// attention_fusion: the attention core of exported transformers,
//   P = Softmax(scale * MatMul(Q, Kt) [+ mask], last axis); Y = MatMul(P, V)
// with the scale as Mul/Div by constants on the scores or on Q / Kt, becomes
// com.infer.ScaledDotProductAttention(Q, Kt, V, mask) with the product of the scales. The
// kernel broadcasts like the unfused chain, so unknown shapes (dynamic models) are fine.
#include "pattern.h"

namespace infer::cpu_passes {
namespace {

// If `v` is written by a cpu Mul or Div of another value by a scalar constant and read only by
// its one consumer, the other value; *scale is multiplied by the factor.
std::optional<size_t> unscaled(const GraphEditor& g, size_t v, double* scale,
                               std::vector<size_t>* nodes) {
  const size_t p = g.producer(v);
  const bool mul = is_cpu_op(g, p, "Mul"), div = is_cpu_op(g, p, "Div");
  if ((!mul && !div) || !g.single_consumer(v)) return std::nullopt;
  const plugin::NodeView n = g.node(p);
  for (size_t i = 0; i < 2; ++i) {
    if (div && i == 1) break;  // only x / c
    const size_t x = n.input(i), k = n.input(1 - i);
    std::optional<double> c = scalar_constant(g, k);
    if (!c || *c == 0 || !keeps_shape(g, k, x) || !float_constant(g, k)) continue;
    *scale *= div ? 1 / *c : *c;
    nodes->push_back(p);
    return n.input(i);
  }
  return std::nullopt;
}

size_t fuse(GraphEditor& g, size_t softmax) {
  const plugin::NodeView sm = g.node(softmax);
  const size_t probs = sm.output(0);
  std::optional<size_t> rank = known_rank(g, probs);
  const int64_t axis = sm.attr_int("axis", default_opset(g) < 13 ? 1 : -1);
  const bool last_axis = axis == -1 || (rank && axis == static_cast<int64_t>(*rank) - 1);
  if (!last_axis || !float32_or_unknown(g, probs)) return 0;
  std::optional<size_t> av = sole_cpu_consumer(g, probs, "MatMul");
  if (!av || g.node(*av).input(0) != probs) return 0;

  std::vector<size_t> nodes{softmax, *av};
  double scale = 1;
  size_t scores = sm.input(0), mask = INFER_NO_VALUE;
  if (!g.single_consumer(scores)) return 0;
  const size_t add = g.producer(scores);
  if (is_cpu_op(g, add, "Add") && g.node(add).input(0) != g.node(add).input(1)) {
    // The scores are the operand that comes from the QK MatMul (possibly scaled).
    for (size_t i = 0; i < 2 && mask == INFER_NO_VALUE; ++i) {
      size_t s = g.node(add).input(i);
      std::vector<size_t> tmp;
      double f = 1;
      if (std::optional<size_t> u = unscaled(g, s, &f, &tmp)) s = *u;
      if (is_cpu_op(g, g.producer(s), "MatMul") && g.single_consumer(g.node(add).input(i)) &&
          float32_or_unknown(g, g.node(add).input(1 - i))) {
        mask = g.node(add).input(1 - i);
        scores = g.node(add).input(i);
      }
    }
    if (mask == INFER_NO_VALUE) return 0;
    nodes.push_back(add);
  }
  if (std::optional<size_t> u = unscaled(g, scores, &scale, &nodes)) scores = *u;
  const size_t qk = g.producer(scores);
  if (!is_cpu_op(g, qk, "MatMul") || !g.single_consumer(scores)) return 0;
  nodes.push_back(qk);
  size_t q = g.node(qk).input(0), kt = g.node(qk).input(1);
  if (std::optional<size_t> u = unscaled(g, q, &scale, &nodes)) q = *u;
  if (std::optional<size_t> u = unscaled(g, kt, &scale, &nodes)) kt = *u;
  // The kernel is float32 only: some value of the chain (or a scale) must say so.
  const size_t v = g.node(*av).input(1);
  const bool scaled = nodes.size() > (mask == INFER_NO_VALUE ? 3u : 4u);  // float32 constants
  bool f32 = scaled || is_float32(g, probs) || is_float32(g, scores);
  for (size_t t : {q, kt, v, mask}) {
    if (t != INFER_NO_VALUE && !float32_or_unknown(g, t)) return 0;
    f32 = f32 || is_float32(g, t);
  }
  if (!f32) return 0;

  std::vector<size_t> inputs{q, kt, v};
  if (mask != INFER_NO_VALUE) inputs.push_back(mask);
  const size_t y = g.node(*av).output(0);
  const size_t fused =
      replace_nodes(g, nodes, "ScaledDotProductAttention", kInferDomain, inputs, y);
  g.set_attr(fused, "scale", static_cast<float>(scale));
  return nodes.size();
}

}  // namespace

size_t attention_fusion(GraphEditor& g, const infer_config*) {
  return for_each_cpu_op(g, "Softmax", fuse);
}

}  // namespace infer::cpu_passes
