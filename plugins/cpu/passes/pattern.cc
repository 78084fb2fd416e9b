#include "pattern.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace infer::cpu_passes {

bool is_cpu_op(const GraphEditor& g, size_t node, std::string_view op_type,
               std::string_view domain) {
  return node != INFER_NO_NODE && g.is_op(node, op_type, domain) && g.backend(node) == "cpu";
}

std::optional<size_t> sole_cpu_consumer(const GraphEditor& g, size_t v) {
  std::optional<size_t> c = g.single_consumer(v);
  if (!c || g.backend(*c) != "cpu") return std::nullopt;
  return c;
}

std::optional<size_t> sole_cpu_consumer(const GraphEditor& g, size_t v, std::string_view op_type,
                                        std::string_view domain) {
  std::optional<size_t> c = g.single_consumer(v);
  if (!c || !is_cpu_op(g, *c, op_type, domain)) return std::nullopt;
  return c;
}

bool is_float32(const GraphEditor& g, size_t v) {
  return v != INFER_NO_VALUE && g.value(v).dtype == INFER_DTYPE_FLOAT32;
}

bool float32_or_unknown(const GraphEditor& g, size_t v) {
  if (v == INFER_NO_VALUE) return false;
  const infer_dtype t = g.value(v).dtype;
  return t == INFER_DTYPE_FLOAT32 || t == INFER_DTYPE_UNDEFINED;
}

int64_t default_opset(const GraphEditor& g) {
  const int64_t v = g.host()->graph_opset(g.graph(), "");
  return v > 0 ? v : 21;
}

std::optional<size_t> known_rank(const GraphEditor& g, size_t v) {
  const infer_value_info info = g.value(v);
  if (info.rank == INFER_RANK_UNKNOWN) return std::nullopt;
  return info.rank;
}

bool same_shape(const GraphEditor& g, size_t a, size_t b) {
  const infer_value_info x = g.value(a), y = g.value(b);
  if (x.rank == INFER_RANK_UNKNOWN || x.rank != y.rank) return false;
  for (size_t i = 0; i < x.rank; ++i) {
    if (x.dims[i] >= 0 && x.dims[i] == y.dims[i]) continue;
    const char* sx = x.dim_symbols ? x.dim_symbols[i] : nullptr;
    const char* sy = y.dim_symbols ? y.dim_symbols[i] : nullptr;
    if (!sx || !sy || *sx == '\0' || std::strcmp(sx, sy) != 0) return false;
  }
  return true;
}

std::optional<std::vector<float>> float_constant(const GraphEditor& g, size_t v) {
  std::optional<plugin::ConstantView> c = g.constant(v);
  if (!c || c->dtype != INFER_DTYPE_FLOAT32) return std::nullopt;
  std::span<const float> data = c->as<float>();
  if (data.size() != c->element_count()) return std::nullopt;
  return std::vector<float>(data.begin(), data.end());
}

std::optional<double> scalar_constant(const GraphEditor& g, size_t v) {
  std::optional<plugin::ConstantView> c = g.constant(v);
  if (!c || c->element_count() != 1) return std::nullopt;
  if (c->dtype == INFER_DTYPE_FLOAT32 && c->nbytes == sizeof(float)) return c->as<float>()[0];
  if (c->dtype == INFER_DTYPE_FLOAT64 && c->nbytes == sizeof(double)) return c->as<double>()[0];
  return std::nullopt;
}

bool is_scalar_near(const GraphEditor& g, size_t v, double x, double rel_tol) {
  std::optional<double> s = scalar_constant(g, v);
  return s && std::fabs(*s - x) <= rel_tol * std::fabs(x);
}

bool keeps_shape(const GraphEditor& g, size_t c, size_t v) {
  std::optional<plugin::ConstantView> k = g.constant(c);
  if (!k) return false;
  std::optional<size_t> r = known_rank(g, v);
  return k->shape.empty() || (r && k->shape.size() <= *r);
}

std::optional<size_t> other_input_index(const GraphEditor& g, size_t node, size_t v) {
  const plugin::NodeView n = g.node(node);
  if (n.input_count() != 2 || n.input(0) == n.input(1)) return std::nullopt;
  if (n.input(0) == v) return 1;
  if (n.input(1) == v) return 0;
  return std::nullopt;
}

namespace {

// Clip's bounds: attributes before opset 11, optional constant inputs since.
std::optional<ActivationSpec> match_clip(const GraphEditor& g, const plugin::NodeView& n) {
  float lo = std::numeric_limits<float>::lowest(), hi = std::numeric_limits<float>::max();
  if (default_opset(g) < 11) {
    lo = n.attr_float("min", lo);
    hi = n.attr_float("max", hi);
  } else {
    for (size_t i = 1; i < 3; ++i) {
      if (!n.has_input(i)) continue;
      std::optional<double> b = scalar_constant(g, n.input(i));
      if (!b) return std::nullopt;
      (i == 1 ? lo : hi) = static_cast<float>(*b);
    }
  }
  return ActivationSpec{"Clip", {lo, hi}};
}

}  // namespace

std::optional<ActivationSpec> match_activation(const GraphEditor& g, size_t node) {
  if (!g.alive(node) || g.backend(node) != "cpu") return std::nullopt;
  const plugin::NodeView n = g.node(node);
  if (n.input_count() < 1 || n.output_count() != 1 || !float32_or_unknown(g, n.input(0))) {
    return std::nullopt;
  }
  if (is_cpu_op(g, node, "Gelu", kInferDomain)) return ActivationSpec{"Gelu", {}};
  for (const char* plain : {"Relu", "Sigmoid", "Tanh", "HardSwish"}) {
    if (is_cpu_op(g, node, plain)) return ActivationSpec{plain, {}};
  }
  if (is_cpu_op(g, node, "LeakyRelu"))
    return ActivationSpec{"LeakyRelu", {n.attr_float("alpha", 0.01f)}};
  if (is_cpu_op(g, node, "HardSigmoid")) {
    return ActivationSpec{"HardSigmoid", {n.attr_float("alpha", 0.2f), n.attr_float("beta", 0.5f)}};
  }
  if (is_cpu_op(g, node, "Gelu") && n.attr_string("approximate", "none") == "none") {
    return ActivationSpec{"Gelu", {}};
  }
  if (is_cpu_op(g, node, "Clip")) return match_clip(g, n);
  return std::nullopt;
}

namespace {
// x * Sigmoid(x) as exported (SiLU / Swish): v read by exactly a cpu Sigmoid and a cpu Mul
// whose other input is that Sigmoid's output, read by nothing else.
std::optional<ActivationMatch> silu_after(const GraphEditor& g, size_t v) {
  if (g.is_graph_output(v)) return std::nullopt;
  const std::vector<size_t> readers = g.consumers(v);
  if (readers.size() != 2) return std::nullopt;
  for (size_t k = 0; k < 2; ++k) {
    const size_t sig = readers[k], mul = readers[1 - k];
    if (!is_cpu_op(g, sig, "Sigmoid") || !is_cpu_op(g, mul, "Mul")) continue;
    const size_t s = g.node(sig).output(0);
    if (sole_cpu_consumer(g, s, "Mul") != mul) continue;
    const plugin::NodeView m = g.node(mul);
    const bool operands =
        (m.input(0) == v && m.input(1) == s) || (m.input(0) == s && m.input(1) == v);
    if (!operands || !same_shape(g, v, m.output(0))) continue;
    return ActivationMatch{{sig, mul}, m.output(0), ActivationSpec{"Silu", {}}};
  }
  return std::nullopt;
}
}  // namespace

std::optional<ActivationMatch> activation_after(const GraphEditor& g, size_t v) {
  if (std::optional<ActivationMatch> silu = silu_after(g, v)) return silu;
  std::optional<size_t> c = sole_cpu_consumer(g, v);
  if (!c || g.node(*c).input(0) != v) return std::nullopt;
  std::optional<ActivationSpec> spec = match_activation(g, *c);
  if (!spec) return std::nullopt;
  return ActivationMatch{{*c}, g.node(*c).output(0), std::move(*spec)};
}

void set_activation_attrs(GraphEditor& g, size_t node, const ActivationSpec& act) {
  g.set_attr(node, "activation", act.name);
  if (!act.params.empty()) g.set_attr(node, "activation_params", act.params);
}

size_t replace_nodes(GraphEditor& g, std::span<const size_t> old_nodes, const char* op_type,
                     const char* domain, const std::vector<size_t>& inputs, size_t output,
                     std::optional<size_t> attrs_from) {
  const std::string name(g.node(old_nodes.front()).name());
  // A removed node's attributes cannot be read, so the attribute source goes last; it never
  // writes `output` (that is the end of the fused chain, the source its head).
  for (size_t n : old_nodes) {
    if (n != attrs_from) g.remove_node(n);
  }
  const size_t node = g.add_node(op_type, domain, name, inputs, {output});
  if (attrs_from) {
    g.copy_attributes(*attrs_from, node);
    g.remove_node(*attrs_from);
  }
  if (std::string_view(domain) == kInferDomain) g.set_opset(kInferDomain, 1);
  return node;
}

}  // namespace infer::cpu_passes
