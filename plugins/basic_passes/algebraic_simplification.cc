// algebraic_simplification: rewrites that follow from algebra rather than from constants:
// neutral elements (x*1, x+0, x-0, x/1, x^1), Transpose chains composed into one (or none),
// and Reshape chains collapsed to the last Reshape.
#include <algorithm>
#include <numeric>

#include "pass_util.h"
#include "passes.h"

namespace infer::basic_passes {
namespace {

struct NeutralRule {
  std::string_view op;
  double neutral;
  bool commutes;  // the constant may also be the first operand
};
constexpr NeutralRule kNeutralRules[] = {
    {"Mul", 1.0, true},  {"Add", 0.0, true},  {"Sub", 0.0, false},
    {"Div", 1.0, false}, {"Pow", 1.0, false},
};

// Broadcasting x against c gives x's shape: c's dims (right-aligned) are all 1
// and c has no more dims than x, or shape inference says the output is x's shape.
bool broadcast_keeps_shape(const GraphEditor& g, size_t x, const plugin::ConstantView& c,
                           size_t out) {
  const size_t x_rank = g.value(x).rank;
  const bool all_ones =
      std::all_of(c.shape.begin(), c.shape.end(), [](int64_t d) { return d == 1; });
  if (x_rank != INFER_RANK_UNKNOWN && all_ones && c.shape.size() <= x_rank) return true;
  return g.static_shape(x) && same_shape(g, x, out);
}

// The operand that passes through, if the node is `x op neutral` (or `neutral op x`).
std::optional<size_t> neutral_passthrough(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (n.input_count() != 2 || !n.has_input(0) || !n.has_input(1)) return std::nullopt;
  for (const NeutralRule& r : kNeutralRules) {
    if (n.op_type() != r.op) continue;
    for (size_t ci : {size_t{1}, size_t{0}}) {
      if (ci == 0 && !r.commutes) break;
      const size_t x = n.input(1 - ci);
      const std::optional<plugin::ConstantView> c = fixed_constant(g, n.input(ci));
      // The output has x's type by the operators' definitions (Pow's exponent may
      // differ, but x is the base there), so only the shape needs checking.
      if (!c || !all_elements_equal(*c, r.neutral) ||
          !broadcast_keeps_shape(g, x, *c, n.output(0))) {
        continue;
      }
      return x;
    }
  }
  return std::nullopt;
}

// perm of a Transpose, the default (reversed axes) resolved; nullopt if unknown.
std::optional<std::vector<int64_t>> transpose_perm(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  std::vector<int64_t> perm = n.attr_ints("perm");
  if (perm.empty()) {
    const size_t rank = g.value(n.input(0)).rank;
    if (rank == INFER_RANK_UNKNOWN) return std::nullopt;
    perm.resize(rank);
    std::iota(perm.rbegin(), perm.rend(), int64_t{0});
  }
  return perm;
}

bool is_identity_perm(const std::vector<int64_t>& perm) {
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] != static_cast<int64_t>(i)) return false;
  }
  return true;
}

// Transpose(Transpose(x, p1), p2) == Transpose(x, p) with p[i] = p1[p2[i]].
size_t simplify_transpose(GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (!n.has_input(0)) return 0;
  std::optional<std::vector<int64_t>> perm = transpose_perm(g, node);
  if (!perm) return 0;
  size_t source = n.input(0);
  size_t first = g.producer(source);
  const bool chained = first != INFER_NO_NODE && g.is_op(first, "Transpose") &&
                       g.node(first).has_input(0) && g.single_consumer(source) == node;
  std::optional<std::vector<int64_t>> p1 = chained ? transpose_perm(g, first) : std::nullopt;
  if (p1 && p1->size() == perm->size()) {
    std::vector<int64_t> composed(perm->size());
    for (size_t i = 0; i < perm->size(); ++i) {
      const int64_t axis = (*perm)[i];
      if (axis < 0 || axis >= static_cast<int64_t>(p1->size())) return 0;
      composed[i] = (*p1)[static_cast<size_t>(axis)];
    }
    perm = std::move(composed);
    source = g.node(first).input(0);
  } else {
    first = INFER_NO_NODE;
  }
  if (is_identity_perm(*perm)) {
    if (!bypass_node(g, node, n.output(0), source)) return 0;
  } else if (first != INFER_NO_NODE) {
    g.set_input(node, 0, source);
    g.set_attr(node, "perm", *perm);
  } else {
    return 0;
  }
  if (first == INFER_NO_NODE) return 1;
  g.remove_node(first);  // its only reader was `node`
  return 2;
}

// Reshape(ShapeOp(x), s) == Reshape(x, s) when s is constant and has no copy-from-input 0s:
// the element count is the same, and -1 is resolved from it either way.
size_t simplify_reshape(GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  if (!n.has_input(0) || !n.has_input(1)) return 0;
  const std::optional<std::vector<int64_t>> shape = constant_ints(g, n.input(1));
  if (!shape) return 0;
  const bool zero_copies = n.attr_int("allowzero", 0) == 0;
  if (zero_copies && std::find(shape->begin(), shape->end(), 0) != shape->end()) return 0;
  const size_t first = g.producer(n.input(0));
  if (first == INFER_NO_NODE || !g.node(first).has_input(0)) return 0;
  if (!g.is_op(first, "Reshape") && !g.is_op(first, "Flatten") && !g.is_op(first, "Squeeze") &&
      !g.is_op(first, "Unsqueeze")) {
    return 0;
  }
  if (g.single_consumer(n.input(0)) != node) return 0;
  g.set_input(node, 0, g.node(first).input(0));
  g.remove_node(first);
  return 2;
}

}  // namespace

size_t simplify_algebra(GraphEditor& g, const infer_config*) {
  size_t changed = 0;
  for (size_t node : live_nodes(g)) {
    if (!g.alive(node) || !is_default_domain(g, node)) continue;  // removed by an earlier rewrite
    const std::string_view op = g.node(node).op_type();
    if (op == "Transpose") {
      changed += simplify_transpose(g, node);
    } else if (op == "Reshape") {
      changed += simplify_reshape(g, node);
    } else if (std::optional<size_t> x = neutral_passthrough(g, node)) {
      changed += bypass_node(g, node, g.node(node).output(0), *x) ? 1 : 0;
    }
  }
  return changed;
}

}  // namespace infer::basic_passes
