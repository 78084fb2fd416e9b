// conv_bn_folding: Conv -> BatchNormalization (inference form, constant statistics) becomes
// one Conv with W' = W * s and B' = (B - mean) * s + beta, s = scale / sqrt(var + eps).
#include <cmath>

#include "pattern.h"

namespace infer::cpu_passes {
namespace {

// Folds the BN following `conv`, or returns false with the graph unchanged.
bool fold(GraphEditor& g, size_t conv) {
  const plugin::NodeView c = g.node(conv);
  if (c.output_count() != 1) return false;  // float32: W is checked below
  std::optional<size_t> bn = sole_cpu_consumer(g, c.output(0), "BatchNormalization");
  if (!bn) return false;
  const plugin::NodeView b = g.node(*bn);
  if (b.input_count() != 5 || b.input(0) != c.output(0) || b.attr_int("training_mode", 0) != 0) {
    return false;
  }
  for (size_t i = 1; i < b.output_count(); ++i) {
    if (b.output(i) != INFER_NO_VALUE) return false;  // training outputs
  }
  std::optional<plugin::ConstantView> w = g.constant(c.input(1));
  std::optional<std::vector<float>> wdata = float_constant(g, c.input(1));
  if (!w || !wdata || w->shape.size() < 3 || w->shape[0] <= 0) return false;
  const auto m = static_cast<size_t>(w->shape[0]);
  std::vector<float> bias(m, 0.0f);
  if (c.has_input(2)) {
    std::optional<std::vector<float>> cb = float_constant(g, c.input(2));
    if (!cb || cb->size() != m) return false;
    bias = *cb;
  }
  std::vector<std::vector<float>> p;  // scale, B, mean, var
  for (size_t i = 1; i < 5; ++i) {
    std::optional<std::vector<float>> d = float_constant(g, b.input(i));
    if (!d || d->size() != m || g.constant(b.input(i))->shape.size() != 1) return false;
    p.push_back(std::move(*d));
  }
  const float eps = b.attr_float("epsilon", 1e-5f);
  const size_t per_channel = wdata->size() / m;
  for (size_t k = 0; k < m; ++k) {
    const float s = p[0][k] / std::sqrt(p[3][k] + eps);
    for (size_t j = 0; j < per_channel; ++j) (*wdata)[k * per_channel + j] *= s;
    bias[k] = (bias[k] - p[2][k]) * s + p[1][k];
  }
  const std::string name(c.name());
  const size_t new_w = g.add_float_initializer(name + "_W_bn", w->shape, *wdata);
  const size_t new_b = g.add_float_initializer(name + "_B_bn", {w->shape[0]}, bias);
  std::vector<size_t> old_consts{c.input(1)};
  if (c.has_input(2)) old_consts.push_back(c.input(2));
  for (size_t i = 1; i < 5; ++i) old_consts.push_back(b.input(i));
  const size_t x = c.input(0), y = b.output(0);
  const size_t nodes[] = {conv, *bn};
  replace_nodes(g, nodes, "Conv", "", {x, new_w, new_b}, y, conv);
  drop_unused_initializers(g, old_consts);
  return true;
}

}  // namespace

size_t conv_bn_folding(GraphEditor& g, const infer_config*) {
  // Two nodes become one.
  return for_each_cpu_op(
      g, "Conv", [](GraphEditor& e, size_t node) -> size_t { return fold(e, node) ? 2 : 0; });
}

}  // namespace infer::cpu_passes
