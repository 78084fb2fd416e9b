#include "pass_util.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace infer::basic_passes {

std::vector<size_t> live_nodes(const GraphEditor& g) {
  std::vector<size_t> out;
  const size_t n = g.node_count();
  for (size_t id = 0; id < n; ++id) {
    if (g.alive(id)) out.push_back(id);
  }
  return out;
}

int64_t default_opset(const GraphEditor& g) { return g.host()->graph_opset(g.graph(), ""); }

bool is_default_domain(const GraphEditor& g, size_t node) {
  const std::string_view d = g.node(node).domain();
  return d.empty() || d == "ai.onnx";
}

bool is_fixed_constant(const GraphEditor& g, size_t v) {
  if (v == INFER_NO_VALUE) return false;
  const infer_value_info info = g.value(v);
  return info.is_constant && !info.is_graph_input;
}

std::optional<plugin::ConstantView> fixed_constant(const GraphEditor& g, size_t v) {
  if (!is_fixed_constant(g, v)) return std::nullopt;
  return g.constant(v);
}

bool all_inputs_constant(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  for (size_t i = 0; i < n.input_count(); ++i) {
    const size_t v = n.input(i);
    if (v != INFER_NO_VALUE && !is_fixed_constant(g, v)) return false;
  }
  return true;
}

bool is_nondeterministic(std::string_view op_type) {
  // Dropout draws a fresh mask in training mode; in inference identity_elimination removes it.
  static constexpr std::array<std::string_view, 7> kOps = {
      "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike",
      "Multinomial",  "Bernoulli",     "Dropout"};
  return std::find(kOps.begin(), kOps.end(), op_type) != kOps.end();
}

bool has_graph_attribute(const GraphEditor& g, size_t node) {
  const infer_host_api* h = g.host();
  const size_t n = h->node_attr_count(g.graph(), node);
  for (size_t i = 0; i < n; ++i) {
    infer_attr_view a{};
    if (h->node_attr(g.graph(), node, h->node_attr_name(g.graph(), node, i), &a) &&
        a.type == INFER_ATTR_GRAPH) {
      return true;
    }
  }
  return false;
}

namespace {

bool bytes_equal(const void* a, const void* b, size_t n) {
  return n == 0 || (a != nullptr && b != nullptr && std::memcmp(a, b, n) == 0);
}

bool tensors_equal(const infer_tensor_view& a, const infer_tensor_view& b) {
  // Strings are stored as pointers: comparing their bytes would compare addresses.
  if (a.dtype == INFER_DTYPE_STRING || b.dtype == INFER_DTYPE_STRING) return false;
  return a.dtype == b.dtype && a.rank == b.rank &&
         bytes_equal(a.shape, b.shape, a.rank * sizeof(int64_t)) && a.nbytes == b.nbytes &&
         bytes_equal(a.data, b.data, a.nbytes);
}

// Floats are compared by bits: 0.0 and -0.0 differ, and a NaN equals itself.
bool attr_views_equal(const infer_attr_view& a, const infer_attr_view& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case INFER_ATTR_INT:
      return a.i == b.i;
    case INFER_ATTR_FLOAT:
      return bytes_equal(&a.f, &b.f, sizeof(float));
    case INFER_ATTR_STRING:
      return a.s_len == b.s_len && bytes_equal(a.s, b.s, a.s_len);
    case INFER_ATTR_INTS:
      return a.count == b.count && bytes_equal(a.ints, b.ints, a.count * sizeof(int64_t));
    case INFER_ATTR_FLOATS:
      return a.count == b.count && bytes_equal(a.floats, b.floats, a.count * sizeof(float));
    case INFER_ATTR_STRINGS:
      if (a.count != b.count) return false;
      for (size_t i = 0; i < a.count; ++i) {
        if (std::string_view(a.strings[i]) != std::string_view(b.strings[i])) return false;
      }
      return true;
    case INFER_ATTR_TENSOR:
      return tensors_equal(a.tensor, b.tensor);
    default:
      return false;  // graphs and anything unknown never match
  }
}

}  // namespace

bool attributes_equal(const GraphEditor& g, size_t a, size_t b) {
  const infer_host_api* h = g.host();
  const size_t n = h->node_attr_count(g.graph(), a);
  if (n != h->node_attr_count(g.graph(), b)) return false;
  for (size_t i = 0; i < n; ++i) {
    const char* name = h->node_attr_name(g.graph(), a, i);
    infer_attr_view va{}, vb{};
    if (!h->node_attr(g.graph(), a, name, &va) || !h->node_attr(g.graph(), b, name, &vb)) {
      return false;
    }
    if (!attr_views_equal(va, vb)) return false;
  }
  return true;
}

bool same_shape(const GraphEditor& g, size_t a, size_t b) {
  const infer_value_info va = g.value(a);
  // Copied: value_info views are refreshed by the next query.
  const size_t rank = va.rank;
  if (rank == INFER_RANK_UNKNOWN) return false;
  std::vector<int64_t> dims(va.dims, va.dims + rank);
  std::vector<std::string> symbols(rank);
  for (size_t i = 0; i < rank; ++i) {
    if (va.dim_symbols != nullptr && va.dim_symbols[i] != nullptr) symbols[i] = va.dim_symbols[i];
  }
  const infer_value_info vb = g.value(b);
  if (vb.rank != rank) return false;
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] >= 0 || vb.dims[i] >= 0) {
      if (dims[i] != vb.dims[i]) return false;
      continue;
    }
    const char* sb = vb.dim_symbols != nullptr ? vb.dim_symbols[i] : nullptr;
    if (symbols[i].empty() || sb == nullptr || symbols[i] != sb) return false;
  }
  return true;
}

std::optional<int64_t> static_element_count(const GraphEditor& g, size_t v) {
  const std::optional<std::vector<int64_t>> shape = g.static_shape(v);
  if (!shape) return std::nullopt;
  int64_t n = 1;
  for (int64_t d : *shape) n *= d;
  return n;
}

bool is_used(const GraphEditor& g, size_t v) {
  return v != INFER_NO_VALUE &&
         (g.host()->value_consumer_count(g.graph(), v) > 0 || g.is_graph_output(v));
}

bool can_replace_uses(const GraphEditor& g, size_t from) {
  if (g.is_graph_output(from)) return false;
  const std::vector<size_t> readers = g.consumers(from);
  for (size_t k = 0; k < readers.size();) {
    // A node is listed once per explicit read, plus once if a subgraph reads it.
    const size_t node = readers[k];
    size_t listed = 0;
    while (k < readers.size() && readers[k] == node) ++listed, ++k;
    const plugin::NodeView n = g.node(node);
    size_t explicit_reads = 0;
    for (size_t i = 0; i < n.input_count(); ++i) explicit_reads += n.input(i) == from ? 1 : 0;
    if (listed != explicit_reads) return false;
  }
  return true;
}

bool bypass_node(GraphEditor& g, size_t node, size_t out, size_t replacement) {
  const plugin::NodeView n = g.node(node);
  for (size_t i = 0; i < n.output_count(); ++i) {
    const size_t v = n.output(i);
    if (v != out && is_used(g, v)) return false;
  }
  if (!can_replace_uses(g, out)) return false;
  g.replace_uses(out, replacement);
  g.remove_node(node);
  return true;
}

namespace {

template <typename T>
bool all_equal_to(const plugin::ConstantView& c, T x) {
  for (T e : c.as<T>()) {
    if (e != x) return false;
  }
  return true;
}

// 16-bit floats hold exactly the values passes ask about (0, 1), so compare bits.
bool all_half_equal(const plugin::ConstantView& c, double x, bool bfloat) {
  uint16_t bits = 0;
  if (x == 1.0) {
    bits = bfloat ? 0x3F80 : 0x3C00;
  } else if (x != 0.0) {
    return false;
  }
  for (uint16_t e : c.as<uint16_t>()) {
    if (e != bits && !(x == 0.0 && e == 0x8000)) return false;
  }
  return true;
}

}  // namespace

bool all_elements_equal(const plugin::ConstantView& c, double x) {
  switch (c.dtype) {
    case INFER_DTYPE_FLOAT32:
      return all_equal_to<float>(c, static_cast<float>(x));
    case INFER_DTYPE_FLOAT64:
      return all_equal_to<double>(c, x);
    case INFER_DTYPE_FLOAT16:
      return all_half_equal(c, x, false);
    case INFER_DTYPE_BFLOAT16:
      return all_half_equal(c, x, true);
    case INFER_DTYPE_INT8:
      return all_equal_to<int8_t>(c, static_cast<int8_t>(x));
    case INFER_DTYPE_UINT8:
      return all_equal_to<uint8_t>(c, static_cast<uint8_t>(x));
    case INFER_DTYPE_INT16:
      return all_equal_to<int16_t>(c, static_cast<int16_t>(x));
    case INFER_DTYPE_UINT16:
      return all_equal_to<uint16_t>(c, static_cast<uint16_t>(x));
    case INFER_DTYPE_INT32:
      return all_equal_to<int32_t>(c, static_cast<int32_t>(x));
    case INFER_DTYPE_UINT32:
      return all_equal_to<uint32_t>(c, static_cast<uint32_t>(x));
    case INFER_DTYPE_INT64:
      return all_equal_to<int64_t>(c, static_cast<int64_t>(x));
    case INFER_DTYPE_UINT64:
      return all_equal_to<uint64_t>(c, static_cast<uint64_t>(x));
    default:
      return false;
  }
}

std::optional<std::vector<int64_t>> constant_ints(const GraphEditor& g, size_t v) {
  const std::optional<plugin::ConstantView> c = fixed_constant(g, v);
  if (!c) return std::nullopt;
  if (c->dtype == INFER_DTYPE_INT64) {
    const auto s = c->as<int64_t>();
    return std::vector<int64_t>(s.begin(), s.end());
  }
  if (c->dtype == INFER_DTYPE_INT32) {
    const auto s = c->as<int32_t>();
    return std::vector<int64_t>(s.begin(), s.end());
  }
  return std::nullopt;
}

std::optional<std::vector<float>> constant_floats(const GraphEditor& g, size_t v) {
  const std::optional<plugin::ConstantView> c = fixed_constant(g, v);
  if (!c || c->dtype != INFER_DTYPE_FLOAT32 || c->nbytes != c->element_count() * sizeof(float)) {
    return std::nullopt;
  }
  const auto s = c->as<float>();
  return std::vector<float>(s.begin(), s.end());
}

}  // namespace infer::basic_passes
