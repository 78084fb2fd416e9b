#include "runtime/compute_cost.h"

#include <optional>
#include <string_view>
#include <vector>

namespace infer::core {
namespace {

// Static dims of a node's input or output, or nullopt.
std::optional<std::vector<int64_t>> StaticDims(const Graph& graph, size_t value) {
  if (value == kNoValue) return std::nullopt;
  const Shape& shape = graph.value(value).shape;
  if (!shape.rank_known) return std::nullopt;
  std::vector<int64_t> dims;
  for (const Dim& d : shape.dims) {
    if (!d.known()) return std::nullopt;
    dims.push_back(d.value);
  }
  return dims;
}

int64_t Product(const std::vector<int64_t>& dims, size_t from = 0) {
  int64_t p = 1;
  for (size_t i = from; i < dims.size(); ++i) p *= dims[i];
  return p;
}

int64_t AttributeInt(const Node& node, std::string_view name, int64_t fallback) {
  const Attribute* a = node.FindAttribute(name);
  return a != nullptr && a->type == INFER_ATTR_INT ? a->i : fallback;
}

}  // namespace

int64_t EstimateMacs(const Graph& graph, size_t node_id) {
  const Node& node = graph.node(node_id);
  const std::string& op = node.op_type;
  auto input = [&](size_t i) {
    return i < node.inputs.size() ? StaticDims(graph, node.inputs[i]) : std::nullopt;
  };
  const auto out = node.outputs.empty() ? std::nullopt : StaticDims(graph, node.outputs[0]);
  if (!out) return 0;
  if (op == "Conv" || op == "FusedConv" || op == "NchwcConv") {
    // Each output element reads C/group x kernel inputs: W is [M, C/group, k...].
    const auto w = input(1);
    if (!w || w->empty() || (*w)[0] == 0) return 0;
    return Product(*out) * Product(*w, 1);
  }
  if (op == "ConvTranspose") {
    const auto x = input(0);
    const auto w = input(1);  // [C, M/group, k...]
    if (!x || !w || w->empty()) return 0;
    return Product(*x) * Product(*w, 1);
  }
  if (op == "Gemm" || op == "FusedGemm") {
    const auto a = input(0);
    if (!a || a->size() != 2) return 0;
    return Product(*out) * (AttributeInt(node, "transA", 0) != 0 ? (*a)[0] : (*a)[1]);
  }
  if (op == "MatMul" || op == "FusedMatMul") {
    const auto a = input(0);
    if (!a || a->empty()) return 0;
    return Product(*out) * a->back();
  }
  if (op == "ScaledDotProductAttention") {
    // Q.Kt and P.V, each L x S x D per batch and head; Kt is [..., D, S].
    const auto q = input(0);
    const auto kt = input(1);
    if (!q || !kt || kt->empty()) return 0;
    return 2 * Product(*q) * kt->back();
  }
  return 0;
}

}  // namespace infer::core
