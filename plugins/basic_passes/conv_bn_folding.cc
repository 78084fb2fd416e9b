// conv_bn_folding: Conv -> BatchNormalization (inference form, constant statistics) becomes
// one Conv with W' = W * s and B' = (B - mean) * s + beta, s = scale / sqrt(var + eps).
// The result is a standard Conv, so it runs at level 1 for every backend (as ONNX Runtime's
// ConvBNFusion): a backend that runs Conv but not BatchNormalization keeps the whole layer.
#include <cmath>

#include "pass_util.h"
#include "passes.h"

namespace infer::basic_passes {
namespace {

// The float32 constants of one Conv -> BatchNormalization pair, all checked against M.
struct ConvBn {
  size_t bn = INFER_NO_NODE;
  std::vector<int64_t> w_shape;
  std::vector<float> w, bias;  // bias: the Conv's, or zeros
  std::vector<float> scale, beta, mean, var;
};

// A 1-D float32 constant of m elements (BatchNormalization's per-channel inputs).
std::optional<std::vector<float>> channel_vector(const GraphEditor& g, size_t v, size_t m) {
  const std::optional<plugin::ConstantView> c = fixed_constant(g, v);
  if (!c || c->shape.size() != 1) return std::nullopt;
  std::optional<std::vector<float>> d = constant_floats(g, v);
  if (!d || d->size() != m) return std::nullopt;
  return d;
}

// The BatchNormalization to fold into `conv` with its data; nullopt if any check fails.
std::optional<ConvBn> match(const GraphEditor& g, size_t conv) {
  const plugin::NodeView c = g.node(conv);
  if (c.input_count() < 2 || c.output_count() != 1) return std::nullopt;
  // The only reader, so no one sees the Conv's unfolded result (also not a graph output).
  const std::optional<size_t> bn = g.single_consumer(c.output(0));
  if (!bn || !g.is_op(*bn, "BatchNormalization")) return std::nullopt;
  const plugin::NodeView b = g.node(*bn);
  if (b.input_count() != 5 || b.input(0) != c.output(0) || b.attr_int("training_mode", 0) != 0) {
    return std::nullopt;
  }
  for (size_t i = 1; i < b.output_count(); ++i) {
    if (b.output(i) != INFER_NO_VALUE) return std::nullopt;  // running statistics: training
  }
  ConvBn p;
  p.bn = *bn;
  const std::optional<plugin::ConstantView> w = fixed_constant(g, c.input(1));
  std::optional<std::vector<float>> wdata = constant_floats(g, c.input(1));
  if (!w || !wdata || w->shape.size() < 3 || w->shape[0] <= 0) return std::nullopt;
  p.w_shape = w->shape;
  p.w = std::move(*wdata);
  const auto m = static_cast<size_t>(p.w_shape[0]);
  p.bias.assign(m, 0.0f);
  if (c.has_input(2)) {
    std::optional<std::vector<float>> cb = channel_vector(g, c.input(2), m);
    if (!cb) return std::nullopt;
    p.bias = std::move(*cb);
  }
  std::vector<float>* stats[] = {&p.scale, &p.beta, &p.mean, &p.var};
  for (size_t i = 1; i < 5; ++i) {
    std::optional<std::vector<float>> d = channel_vector(g, b.input(i), m);
    if (!d) return std::nullopt;
    *stats[i - 1] = std::move(*d);
  }
  return p;
}

// Replaces Conv + BN by one Conv writing the BN's output. The old weights and statistics
// are left to unused_initializer_removal (another node may share them).
void fold(GraphEditor& g, size_t conv, ConvBn& p) {
  const float eps = g.node(p.bn).attr_float("epsilon", 1e-5f);
  const size_t m = p.bias.size(), per_channel = p.w.size() / m;
  for (size_t k = 0; k < m; ++k) {
    const float s = p.scale[k] / std::sqrt(p.var[k] + eps);
    for (size_t j = 0; j < per_channel; ++j) p.w[k * per_channel + j] *= s;
    p.bias[k] = (p.bias[k] - p.mean[k]) * s + p.beta[k];
  }
  const plugin::NodeView c = g.node(conv);
  const std::string name(c.name());
  const size_t x = c.input(0), y = g.node(p.bn).output(0);
  const size_t new_w = g.add_float_initializer(name + "_W_bn", p.w_shape, p.w);
  const size_t new_b = g.add_float_initializer(name + "_B_bn", {p.w_shape[0]}, p.bias);
  // y has one producer: the BN goes first; the old Conv last, after its attributes are copied.
  g.remove_node(p.bn);
  const size_t folded = g.add_node("Conv", "", name, {x, new_w, new_b}, {y});
  g.copy_attributes(conv, folded);
  g.remove_node(conv);
}

}  // namespace

size_t fold_conv_batch_norms(GraphEditor& g, const infer_config*) {
  size_t changed = 0;
  for (size_t node : live_nodes(g)) {
    if (!g.is_op(node, "Conv")) continue;
    std::optional<ConvBn> p = match(g, node);
    if (!p) continue;
    fold(g, node, *p);
    changed += 2;  // two nodes become one
  }
  return changed;
}

}  // namespace infer::basic_passes
