// conv_activation_fusion: Conv [+ Add per-channel constant bias, when Conv has none]
// [+ Add residual Z of the output's shape] [+ activation] becomes com.infer.FusedConv
// (X, W, B, Z) computing act(conv(X, W) + B + Z): ResNet's Conv -> Add -> Relu is one node.
#include "pattern.h"

namespace infer::cpu_passes {
namespace {

// The [M] bias that an Add of constant `v` onto a Conv output of rank `rank` adds per output
// channel ([M, 1, 1], [1, M, 1, 1], a scalar, ...), or nullopt.
std::optional<std::vector<float>> per_channel_bias(const GraphEditor& g, size_t v, size_t rank,
                                                   int64_t m) {
  std::optional<plugin::ConstantView> c = g.constant(v);
  std::optional<std::vector<float>> data = float_constant(g, v);
  if (!c || !data || c->shape.size() > rank) return std::nullopt;
  for (size_t i = 0; i < c->shape.size(); ++i) {
    const size_t axis = rank - c->shape.size() + i;  // right-aligned onto [N, M, D...]
    if (c->shape[i] != 1 && !(axis == 1 && c->shape[i] == m)) return std::nullopt;
  }
  if (data->size() == 1) data->assign(static_cast<size_t>(m), data->front());
  return data;
}

size_t fuse(GraphEditor& g, size_t conv) {
  const plugin::NodeView c = g.node(conv);
  const size_t out = c.output(0);
  // The output's rank is W's; a float32 constant W makes the output float32.
  std::optional<plugin::ConstantView> w = g.constant(c.input(1));
  std::optional<size_t> rank = known_rank(g, out);
  if (!rank && w) rank = w->shape.size();
  const bool f32 = is_float32(g, out) || (w && w->dtype == INFER_DTYPE_FLOAT32);
  if (!f32 || c.output_count() != 1 || !rank || *rank < 3) return 0;
  std::vector<size_t> nodes{conv};
  std::vector<size_t> inputs{c.input(0), c.input(1), c.has_input(2) ? c.input(2) : INFER_NO_VALUE,
                             INFER_NO_VALUE};
  size_t y = out;
  // A bias the exporter wrote as an Add ([M, 1, 1] constant); needs M from a constant W.
  if (std::optional<size_t> add = sole_cpu_consumer(g, y, "Add");
      add && inputs[2] == INFER_NO_VALUE && w && !w->shape.empty()) {
    std::optional<size_t> bi = other_input_index(g, *add, y);
    std::optional<std::vector<float>> bias =
        bi ? per_channel_bias(g, g.node(*add).input(*bi), *rank, w->shape[0]) : std::nullopt;
    if (bias && same_shape(g, y, g.node(*add).output(0))) {
      inputs[2] = g.add_float_initializer(std::string(c.name()) + "_B", {w->shape[0]}, *bias);
      nodes.push_back(*add);
      y = g.node(*add).output(0);
    }
  }
  // The residual: another tensor of exactly the output's shape.
  if (std::optional<size_t> add = sole_cpu_consumer(g, y, "Add")) {
    std::optional<size_t> zi = other_input_index(g, *add, y);
    const size_t z = zi ? g.node(*add).input(*zi) : INFER_NO_VALUE;
    if (z != INFER_NO_VALUE && !g.is_constant(z) && is_float32(g, z) && same_shape(g, y, z) &&
        same_shape(g, y, g.node(*add).output(0))) {
      inputs[3] = z;
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
  if (inputs[3] == INFER_NO_VALUE) inputs.pop_back();
  const size_t fused = replace_nodes(g, nodes, "FusedConv", kInferDomain, inputs, y, conv);
  if (act) set_activation_attrs(g, fused, act->spec);
  return nodes.size();
}

}  // namespace

size_t conv_activation_fusion(GraphEditor& g, const infer_config*) {
  return for_each_cpu_op(g, "Conv", fuse);
}

}  // namespace infer::cpu_passes
