// matmul_bias_activation_fusion: MatMul(A N-D, B constant [K, N]) [+ Add constant bias over
// the last axis] [+ activation] becomes com.infer.FusedMatMul(A, B, bias) with `activation`:
// the linear layers of transformers, GELU included once gelu_fusion has run.
#include "pattern.h"

namespace infer::cpu_passes {
namespace {

// The [n] bias an Add of constant `v` adds along the last axis ([n], [1, 1, n], ...).
std::optional<std::vector<float>> last_axis_bias(const GraphEditor& g, size_t v, int64_t n,
                                                 size_t out_rank) {
  std::optional<plugin::ConstantView> c = g.constant(v);
  std::optional<std::vector<float>> data = float_constant(g, v);
  if (!c || !data || c->shape.empty() || c->shape.size() > out_rank || c->shape.back() != n) {
    return std::nullopt;
  }
  for (size_t i = 0; i + 1 < c->shape.size(); ++i) {
    if (c->shape[i] != 1) return std::nullopt;
  }
  return data;
}

size_t fuse(GraphEditor& g, size_t mm) {
  const plugin::NodeView m = g.node(mm);
  const size_t a = m.input(0), out = m.output(0);
  std::optional<plugin::ConstantView> b = g.constant(m.input(1));
  // A's type follows B's; its rank may be unknown (then only a 1-D bias is sure not to grow Y).
  std::optional<size_t> rank = known_rank(g, a);
  if (!float32_or_unknown(g, a) || !b || b->dtype != INFER_DTYPE_FLOAT32 || b->shape.size() != 2) {
    return 0;
  }
  std::vector<size_t> nodes{mm};
  size_t bias = INFER_NO_VALUE, y = out;
  if (std::optional<size_t> add = sole_cpu_consumer(g, out, "Add")) {
    std::optional<size_t> bi = other_input_index(g, *add, out);
    const size_t c = bi ? g.node(*add).input(*bi) : INFER_NO_VALUE;
    std::optional<std::vector<float>> data =
        c != INFER_NO_VALUE
            ? last_axis_bias(g, c, b->shape[1], rank ? std::max<size_t>(*rank, 1) : 1)
            : std::nullopt;
    if (data) {
      const bool one_d = g.constant(c)->shape.size() == 1;
      bias = one_d ? c
                   : g.add_float_initializer(std::string(m.name()) + "_bias", {b->shape[1]}, *data);
      nodes.push_back(*add);
      y = g.node(*add).output(0);
    }
  }
  std::optional<ActivationMatch> act = activation_after(g, y);
  if (act) {
    nodes.insert(nodes.end(), act->nodes.begin(), act->nodes.end());
    y = act->output;
  }
  if (nodes.size() == 1) return 0;
  std::vector<size_t> inputs{a, m.input(1)};
  if (bias != INFER_NO_VALUE) inputs.push_back(bias);
  const size_t fused = replace_nodes(g, nodes, "FusedMatMul", kInferDomain, inputs, y);
  if (act) set_activation_attrs(g, fused, act->spec);
  return nodes.size();
}

}  // namespace

size_t matmul_bias_activation_fusion(GraphEditor& g, const infer_config*) {
  return for_each_cpu_op(g, "MatMul", fuse);
}

}  // namespace infer::cpu_passes
